import { Worker } from 'node:worker_threads';

// Helper threads for our own wasm kernels. TF.js's pthreads belong to XNNPACK and take no work from
// us, so a kernel of ours that should use both cores needs threads of its own: Node workers that
// instantiate our module on the same shared memory and wait on a control block. A call hands each
// helper one argument list, runs the first list on the calling thread and blocks (Atomics.wait)
// until every helper is done: kernels are synchronous, like every TF.js kernel.
//
// Control block per helper (a SharedArrayBuffer: Int32 flags, then float64 arguments):
const SEQUENCE = 0; // bumped by the caller to hand over a job
const DONE = 1; // set to the job's sequence by the helper when it finished
const READY = 2; // 1 once the helper has instantiated the module
const FAILED = 3; // 1 when the last job threw
const KERNEL = 4; // index of the export to call
const COUNT = 5; // number of arguments
// The arguments follow as float64 from byte 32: exact for every i32 (pointers included) and f32.
const ARGUMENTS_BYTE = 32;
const MAX_ARGUMENTS = 32;

/** How long a caller waits for a helper before it gives up (a helper job takes milliseconds). */
const HELPER_TIMEOUT_MS = 120_000;

/**
 * How long a helper (and a caller waiting for one) spins before it sleeps in Atomics.wait. Waking a
 * sleeping thread goes through the kernel's futex and, in a VM, often a halted virtual CPU: tens to
 * hundreds of microseconds, paid on each of the ~250 hand-overs of a training step, and the cause
 * of 2-thread steps that were sometimes no faster than 1 thread. The large kernels of a step mostly
 * follow each other within half a millisecond (3 ms measured no better, and burns the core longer).
 */
const SPIN_MS = 0.5;

// CommonJS source of a helper (run with `eval: true`, so the package needs no separate worker file).
const helperSource = `
const { workerData } = require('node:worker_threads');
const { memory, control, bytes, names } = workerData;
const flags = new Int32Array(control);
const args = new Float64Array(control, ${ARGUMENTS_BYTE}, ${MAX_ARGUMENTS});
const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
const kernels = names.map((name) => instance.exports[name]);
Atomics.store(flags, ${READY}, 1);
let seen = 0;
for (;;) {
  const until = performance.now() + ${SPIN_MS};
  let spins = 0;
  while (Atomics.load(flags, ${SEQUENCE}) === seen && (++spins & 1023 || performance.now() < until));
  Atomics.wait(flags, ${SEQUENCE}, seen);
  seen = Atomics.load(flags, ${SEQUENCE});
  try {
    kernels[flags[${KERNEL}]](...args.subarray(0, flags[${COUNT}]));
    Atomics.store(flags, ${FAILED}, 0);
  } catch {
    Atomics.store(flags, ${FAILED}, 1);
  }
  Atomics.store(flags, ${DONE}, seen);
  Atomics.notify(flags, ${DONE});
}
`;

/** Multiply-adds per thread below which a convolution does not split (~0.2 ms of work). */
export const CONV_MACS_PER_THREAD = 4_000_000;
/** Elements per thread below which an elementwise pass does not split. */
export const ELEMENTS_PER_THREAD = 1 << 18;

/**
 * Splits [0, count) into at most `threads` consecutive ranges of about equal size, every boundary
 * a multiple of `align` (the last range takes the rest): one argument range per thread.
 */
export function splitRange(threads: number, count: number, align = 1): [number, number][] {
  const parts = Math.max(1, Math.min(threads, Math.floor(count / align)));
  return Array.from({ length: parts }, (_, t) => [
    t === 0 ? 0 : Math.floor((t * count) / parts / align) * align,
    t === parts - 1 ? count : Math.floor(((t + 1) * count) / parts / align) * align,
  ]);
}

interface Helper {
  readonly worker: Worker;
  readonly flags: Int32Array;
  readonly args: Float64Array;
  sequence: number;
}

type Kernel = (...args: number[]) => void;

/**
 * A pool of `threads − 1` helper threads plus the calling thread, for the named exports of our
 * module. Helpers that have not started yet (the first milliseconds) are covered by the calling
 * thread, which then runs their lists itself: results never depend on which thread ran a list.
 */
export class KernelThreads {
  private readonly helpers: Helper[] = [];

  constructor(
    memory: object,
    bytes: Uint8Array,
    private readonly names: readonly string[],
    private readonly local: Readonly<Record<string, Kernel>>,
    readonly threads: number,
  ) {
    for (let index = 1; index < threads; index++) {
      const control = new SharedArrayBuffer(ARGUMENTS_BYTE + MAX_ARGUMENTS * 8);
      // execArgv: [] so the source runs as CommonJS even when the parent ran with --input-type=module.
      const worker = new Worker(helperSource, { eval: true, execArgv: [], workerData: { memory, control, bytes, names } });
      const helper: Helper = { worker, flags: new Int32Array(control), args: new Float64Array(control, ARGUMENTS_BYTE, MAX_ARGUMENTS), sequence: 0 };
      // A helper that fails to start is never handed work (its share runs on the calling thread).
      worker.on('error', () => Atomics.store(helper.flags, READY, -1));
      // A helper only ever waits on its control block: it must not keep the process alive.
      worker.unref();
      this.helpers.push(helper);
    }
  }

  /** Runs `name` once per argument list, in parallel where helpers are ready; returns when all are done. */
  run(name: string, argumentLists: readonly (readonly number[])[]): void {
    const kernel = this.local[name];
    const index = this.names.indexOf(name);
    if (!kernel || index < 0) throw new Error(`KernelThreads: no kernel '${name}'`);
    const handed: Helper[] = [];
    const mine: (readonly number[])[] = [];
    argumentLists.forEach((args, position) => {
      const helper = position === 0 ? undefined : this.helpers[position - 1];
      if (!helper || Atomics.load(helper.flags, READY) !== 1) {
        mine.push(args);
        return;
      }
      if (args.length > MAX_ARGUMENTS) throw new Error(`KernelThreads: at most ${MAX_ARGUMENTS} arguments`);
      helper.flags[KERNEL] = index;
      helper.flags[COUNT] = args.length;
      helper.args.set(args);
      helper.sequence += 1;
      Atomics.store(helper.flags, SEQUENCE, helper.sequence);
      Atomics.notify(helper.flags, SEQUENCE);
      handed.push(helper);
    });
    for (const args of mine) kernel(...args);
    for (const helper of handed) {
      const started = performance.now();
      for (let spins = 0; ; spins++) {
        const done = Atomics.load(helper.flags, DONE);
        if (done === helper.sequence) break;
        // Spin first (the helper's share takes about as long as ours), then sleep in slices.
        if ((spins & 1023) !== 0 || performance.now() - started < SPIN_MS) continue;
        if (performance.now() - started > HELPER_TIMEOUT_MS) throw new Error(`KernelThreads: a helper thread did not finish '${name}' within ${HELPER_TIMEOUT_MS} ms`);
        Atomics.wait(helper.flags, DONE, done, 1000);
      }
      if (Atomics.load(helper.flags, FAILED) === 1) throw new Error(`KernelThreads: '${name}' failed on a helper thread`);
    }
  }

  /**
   * How many threads a job of `work` units should use: one per `perThread` units at least, so a
   * small job runs on the calling thread alone (a hand-over costs more than it saves there).
   */
  threadsFor(work: number, perThread: number): number {
    return Math.max(1, Math.min(this.threads, Math.floor(work / perThread)));
  }

  /** How many helpers have started (the others' share runs on the calling thread). */
  readyHelpers(): number {
    return this.helpers.filter((helper) => Atomics.load(helper.flags, READY) === 1).length;
  }

  /** Resolves once every helper has started or failed to, or rejects after `timeoutMs`. */
  async ready(timeoutMs = 10_000): Promise<void> {
    const started = Date.now();
    while (this.helpers.some((helper) => Atomics.load(helper.flags, READY) === 0)) {
      if (Date.now() - started > timeoutMs) throw new Error(`KernelThreads: helpers did not start within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Stops the helpers (the process exits without it too: they are unref'ed). */
  async dispose(): Promise<void> {
    await Promise.all(this.helpers.map((helper) => helper.worker.terminate()));
    this.helpers.length = 0;
  }
}
