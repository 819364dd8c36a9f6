import { createRequire } from 'node:module';
import type { BackendProvider } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';

const require = createRequire(import.meta.url);

/** true when a package can be resolved from here, without loading (and so registering) it. */
function isInstalled(packageName: string): boolean {
  try {
    require.resolve(packageName);
    return true;
  } catch {
    return false;
  }
}

/**
 * A native TF.js binding (`@tensorflow/tfjs-node[-gpu]`): an optional peer, never a dependency,
 * because its install downloads libtensorflow. Both register the backend name 'tensorflow'.
 */
function nativeProvider(id: 'tfjs-node' | 'tfjs-node-gpu', priority: number): BackendProvider {
  const packageName = `@tensorflow/${id}`;
  return {
    id,
    priority,
    probe: async () => {
      if (!isInstalled(packageName)) return { available: false, reason: `optional peer ${packageName} is not installed` };
      try {
        await import(packageName);
        return { available: true };
      } catch (error) {
        return { available: false, reason: `${packageName} is installed but failed to load: ${(error as Error).message}` };
      }
    },
    activate: async () => {
      await import(packageName);
      if (!(await tf.setBackend('tensorflow'))) throw new Error(`${packageName} loaded but setBackend('tensorflow') failed`);
      await tf.ready();
    },
  };
}

/** `@tensorflow/tfjs-node-gpu` when installed (Node only: it resolves the optional peer with `require.resolve`). */
export const tfjsNodeGpuBackendProvider = nativeProvider('tfjs-node-gpu', 40);
/** `@tensorflow/tfjs-node` when installed (Node only). */
export const tfjsNodeBackendProvider = nativeProvider('tfjs-node', 30);
