import { createRequire } from 'node:module';
import type { BackendId, BackendProvider } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { silenceCpuBackendBanner } from './quiet-cpu-backend.js';
import { wasmBackendProvider } from './wasm/wasm-backend-provider.js';

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

/** The pure-JS reference backend: always available, slow, the ground truth for parity tests. */
export const cpuBackendProvider: BackendProvider = {
  id: 'cpu',
  priority: 10,
  probe: async () => ({ available: true }),
  activate: async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    silenceCpuBackendBanner();
    if (!(await tf.setBackend('cpu'))) throw new Error("setBackend('cpu') failed");
    await tf.ready();
  },
};

export const tfjsNodeGpuBackendProvider = nativeProvider('tfjs-node-gpu', 40);
export const tfjsNodeBackendProvider = nativeProvider('tfjs-node', 30);
export { wasmBackendProvider };

/** Built-in providers, tried by priority: tfjs-node-gpu, tfjs-node, wasm, cpu. */
export const builtinBackendProviders: readonly BackendProvider[] = [
  tfjsNodeGpuBackendProvider,
  tfjsNodeBackendProvider,
  wasmBackendProvider,
  cpuBackendProvider,
];

export const backendIds: readonly BackendId[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];
