import { createRequire } from 'node:module';
import type { BackendProvider } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { registerWasmTrainingKernels } from './register-wasm-training-kernels.js';

const require = createRequire(import.meta.url);

/**
 * WebAssembly (XNNPACK, SIMD): the CPU default. Its binaries ship inside the npm package, so
 * it works offline; our gradient kernels (Conv2DBackpropFilter, a fast Conv2DBackpropInput)
 * are registered on activation, which is what makes conv nets train on it at all.
 */
export const wasmBackendProvider: BackendProvider = {
  id: 'wasm',
  priority: 20,
  probe: async () => {
    try {
      require.resolve('@tensorflow/tfjs-backend-wasm');
      return { available: true };
    } catch {
      return { available: false, reason: '@tensorflow/tfjs-backend-wasm is not installed' };
    }
  },
  activate: async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmTrainingKernels();
    if (!(await tf.setBackend('wasm'))) throw new Error("setBackend('wasm') failed: the WebAssembly module did not initialise");
    await tf.ready();
  },
};
