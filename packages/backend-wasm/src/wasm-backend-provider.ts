import { createRequire } from 'node:module';
import type { BackendThreadsStatus, SelectableBackendProvider } from '@robustfair/core';
import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-scope.js';
import { ownKernelsFor } from './own-kernels.js';
import { registerWasmTrainingKernels } from './register-wasm-training-kernels.js';
import { relaxedSimdSupported, requestedWasmSimdVariant, wasmSimdVariant } from './wasm-simd-variant.js';
import { registerThreadedWasmBackend, wantedWasmThreads, type WasmPackage } from './wasm-threads.js';

const require = createRequire(import.meta.url);

/** Threads our kernels run on in the active wasm backend, and why not more (for `robustfair info`). */
export type WasmThreadsStatus = BackendThreadsStatus;

let threadsStatus: WasmThreadsStatus | undefined;

/** How the wasm backend was started in this process; undefined before it was activated. */
export function wasmThreadsStatus(): WasmThreadsStatus | undefined {
  return threadsStatus;
}

/**
 * WebAssembly (XNNPACK, SIMD): the CPU default. Its binaries ship inside the npm package, so
 * it works offline; our gradient kernels (Conv2DBackpropFilter, a fast Conv2DBackpropInput)
 * are registered on activation, which is what makes conv nets train on it at all. Outside
 * tests it runs on the multi-threaded module (see wasm-threads.ts; `ROBUSTFAIR_WASM_THREADS`).
 * Hand it to core's `selectBackend` (the runner's `builtinBackendProviders` does); selection
 * reports its `threadsStatus` as `wasmThreads`.
 */
export const wasmBackendProvider: SelectableBackendProvider = {
  id: 'wasm',
  priority: 20,
  threadsStatus: () => threadsStatus,
  probe: async () => {
    try {
      require.resolve('@tensorflow/tfjs-backend-wasm');
      return { available: true };
    } catch {
      return { available: false, reason: '@tensorflow/tfjs-backend-wasm is not installed' };
    }
  },
  activate: async () => {
    const loaded = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as WasmPackage & { default?: WasmPackage };
    const wasm = loaded.BackendWasm ? loaded : (loaded.default as WasmPackage);
    registerWasmTrainingKernels();
    await withoutEmscriptenProcessHandlers(async () => {
      if (tf.findBackend('wasm') === null && threadsStatus === undefined) await startThreaded(wasm);
      if (!(await tf.setBackend('wasm'))) throw new Error("setBackend('wasm') failed: the WebAssembly module did not initialise");
      await tf.ready();
    });
    await enableRelaxedSimdFlag();
    const started = threadsStatus ?? { threads: wasm.getThreadsCount() };
    threadsStatus = { ...started, simd: wasmSimdVariant() };
    // Our kernels' helper threads start now, so they are ready by the first training step.
    ownKernelsFor(tf.backend() as WasmBackendLike);
  },
};

/**
 * Node 20's V8 has relaxed SIMD behind a flag (on by default from Node 22). The flag is read when a
 * module is compiled, and our kernels' module is compiled after this, on first use, so setting it
 * here is enough; helper threads share the process's V8 flags. Not set when plain is asked for.
 */
async function enableRelaxedSimdFlag(): Promise<void> {
  if (requestedWasmSimdVariant() === 'plain' || relaxedSimdSupported()) return;
  const v8 = await import('node:v8');
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
}

/**
 * Emscripten's Node glue adds process handlers that re-throw every uncaught exception and
 * unhandled rejection from inside its own minified source, so Node prints a 50 kB line of it
 * above the real error. Removing the handlers it added restores Node's default report.
 */
async function withoutEmscriptenProcessHandlers(start: () => Promise<void>): Promise<void> {
  // Typed loosely on purpose: the two events have different listener signatures.
  const emitter = process as unknown as NodeJS.EventEmitter;
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = events.map((event) => new Set(emitter.listeners(event)));
  try {
    await start();
  } finally {
    events.forEach((event, index) => {
      for (const listener of emitter.listeners(event)) {
        if (!before[index]?.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    });
  }
}

/** Swaps in the threaded module when more than one thread is wanted; on any failure keeps TF.js's own. */
async function startThreaded(wasm: WasmPackage): Promise<void> {
  const threads = wantedWasmThreads();
  if (threads === 1) return;
  const registry = (tf.engine() as unknown as { registryFactory: Record<string, { factory: () => Promise<tf.KernelBackend>; priority: number }> }).registryFactory;
  const stock = registry['wasm'];
  try {
    await registerThreadedWasmBackend(wasm);
    if (await tf.setBackend('wasm')) {
      // our kernels' threads (the calling thread and its helpers); XNNPACK itself runs one
      threadsStatus = { threads };
      return;
    }
    throw new Error('the threaded module did not initialise');
  } catch (error) {
    // Single-threaded wasm is still far faster than falling through to the cpu backend.
    if (stock) {
      tf.removeBackend('wasm');
      tf.registerBackend('wasm', stock.factory, stock.priority);
    }
    threadsStatus = { threads: 1, note: `threaded wasm failed (${(error as Error).message}); running single-threaded` };
  }
}
