import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic } from '@robustfair/core/node';

const require = createRequire(import.meta.url);

/** The part of `@tensorflow/tfjs-backend-wasm`'s exports this file uses. */
export interface WasmPackage {
  readonly BackendWasm: new (module: unknown) => tf.KernelBackend;
  setThreadsCount(threads: number): void;
  getThreadsCount(): number;
}

/**
 * How many threads the wasm backend's own kernels should use (XNNPACK runs one; ADR 0011):
 * `ROBUSTFAIR_WASM_THREADS` (a positive integer) when set, else 1 inside vitest workers (they run
 * in parallel already, and a test process must not hold worker threads), else the machine's
 * cores up to 4.
 */
export function wantedWasmThreads(env: NodeJS.ProcessEnv = process.env): number {
  const text = env['ROBUSTFAIR_WASM_THREADS'];
  if (text !== undefined && text !== '') {
    const threads = Number(text);
    if (!Number.isInteger(threads) || threads < 1) {
      throw new Error(`ROBUSTFAIR_WASM_THREADS must be a positive integer (1 turns threads off), got '${text}'`);
    }
    return threads;
  }
  if (env['VITEST'] !== undefined) return 1;
  return Math.max(1, Math.min(os.availableParallelism(), 4));
}

/**
 * Registers the wasm backend on TF.js's multi-threaded SIMD module, which TF.js itself never
 * uses in Node (tfjs #3830). We need it for its shared memory, on which our own kernels' helper
 * threads work (kernel-threads.ts, ADR 0011); XNNPACK itself runs one thread (see below). Two
 * things stand in the way and are worked around here:
 * - the pthread worker script is handed to Node's `Worker` as a `blob:` URL, which Node rejects:
 *   we write it to a file (content-addressed, in the OS temp dir) and point `locateFile` at it;
 * - the workers import the module's main script from a Blob: we give them the package's own file.
 * Must run before the first `tf.setBackend('wasm')`. The pthread workers are unref'ed, so they
 * do not keep the process alive.
 */
export async function registerThreadedWasmBackend(wasm: WasmPackage): Promise<void> {
  if (typeof SharedArrayBuffer === 'undefined') throw new Error('SharedArrayBuffer is not available');
  const packageDirectory = path.dirname(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')));
  const outputDirectory = path.join(packageDirectory, 'wasm-out');
  const mainScript = path.join(outputDirectory, 'tfjs-backend-wasm-threaded-simd.js');
  const binary = path.join(outputDirectory, 'tfjs-backend-wasm-threaded-simd.wasm');
  const factory = require(mainScript) as (config: Record<string, unknown>) => Promise<EmscriptenModule>;
  const { wasmWorkerContents } = require(path.join(outputDirectory, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string };
  // The contents are a template literal whose `\n` escapes became newlines; TF.js re-escapes them too.
  const workerScript = await writeWorkerScript(wasmWorkerContents.replace(/\n/g, '\\n'));

  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    async () => {
      const module = await factory({
        locateFile: (file: string, prefix: string) => (file.endsWith('.worker.js') ? workerScript : file.endsWith('.wasm') ? binary : prefix + file),
        mainScriptUrlOrBlob: mainScript,
      });
      module.tfjs = {
        init: module.cwrap('init', null, []),
        initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
        getThreadsCount: module.cwrap('get_threads_count', 'number', []),
        registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
        disposeData: module.cwrap('dispose_data', null, ['number']),
        dispose: module.cwrap('dispose', null, []),
      };
      // XNNPACK runs one thread: our kernels do the heavy work on our own helper threads, and
      // XNNPACK's pool, which spin-waits around every parallel op, made small workloads ~30 %
      // slower than one thread (the quickstart: 45 s on 2 threads, 35 s with XNNPACK on 1).
      wasm.setThreadsCount(1);
      const backend = new wasm.BackendWasm(module);
      // Emscripten refs a worker while it runs a pthread: unref them all so the process exits
      // when its work is done.
      for (const worker of [...module.PThread.runningWorkers, ...module.PThread.unusedWorkers]) worker.unref?.();
      return backend;
    },
    2,
  );
}

interface EmscriptenModule {
  tfjs?: Record<string, unknown>;
  PThread: { runningWorkers: { unref?: () => void }[]; unusedWorkers: { unref?: () => void }[] };
  cwrap(name: string, returnType: string | null, argumentTypes: string[]): unknown;
}

/** Writes the pthread worker script once per content (atomically). */
async function writeWorkerScript(contents: string): Promise<string> {
  const hash = createHash('sha256').update(contents).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), 'robustfair-wasm', `pthread-worker-${hash}.cjs`);
  if (!existsSync(file)) await writeFileAtomic(file, contents);
  return file;
}
