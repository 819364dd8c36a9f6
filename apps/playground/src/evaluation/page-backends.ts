import { cpuBackendProvider, registerGradients } from '@robustfair/core';
import * as tf from '@tensorflow/tfjs-core';
import type { PageBackend } from './protocol.js';

// The wasm binaries as files of the build (Vite copies them and gives their URLs), so the wasm
// backend loads from the page's own origin, never from a CDN (TF.js' default when no path is set).
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/**
 * Starts the chosen backend in this worker, with the gradients attacks need:
 * - `cpu`: TF.js' reference backend, the one whose numbers equal `robustfair eval --backend cpu`;
 * - `webgl`: the GPU through WebGL 2 (on an OffscreenCanvas in the worker);
 * - `wasm`: TF.js' own WebAssembly backend, single-threaded (robustfair's training kernels of
 *   `@robustfair/backend-wasm` need Node's worker threads and are not loaded here).
 * A backend the browser cannot start is an error saying which and why.
 */
export async function startBackend(backend: PageBackend): Promise<void> {
  await registerGradients();
  if (backend === 'cpu') {
    await cpuBackendProvider.activate();
    return;
  }
  if (backend === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setThreadsCount(1);
    wasm.setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmUrl, 'tfjs-backend-wasm-simd.wasm': wasmSimdUrl, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl });
  }
  let started = false;
  try {
    started = await tf.setBackend(backend);
  } catch (error) {
    throw new Error(`the ${backend} backend did not start in this browser (${(error as Error).message}); choose cpu`, { cause: error });
  }
  if (!started) throw new Error(`the ${backend} backend is not available in this browser; choose cpu`);
  await tf.ready();
}
