import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { reportProgress, type ProgressReporter } from '../progress/progress-reporter.js';
import { readArmResult } from '../results/arm-files.js';
import type { ArmJob, ArmResult } from '../run/run-types.js';
import type { ParentMessage, SharedArmSettings, WorkerMessage } from './worker-protocol.js';

/** How {@link runArmsInWorkers} runs its arms, and where their output goes. */
export interface WorkerPoolOptions {
  /** Child processes at once (the caller bounds it by the cores). */
  readonly workers: number;
  readonly shared: SharedArmSettings;
  /** Receives the workers' lines and progress events. */
  readonly reporter: ProgressReporter;
  /** Receives the per-arm tables the workers print. */
  readonly print?: (text: string) => void;
}

/**
 * The runner's worker script, `arm-worker.js` next to the built runner. Run from sources (the
 * tests), it is the built one in the package's `dist/`, so build the runner first.
 */
function armWorkerEntry(): string {
  const candidates = ['./arm-worker.js', '../../dist/arm-worker.js'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  const found = candidates.find((file) => existsSync(file));
  if (!found) {
    throw new Error(`the arm worker script is missing (looked for ${candidates.join(' and ')}); build the runner first: pnpm turbo run build --filter=@robustfair/runner`);
  }
  return found;
}

/**
 * Runs arms in up to `workers` child processes. Each worker takes the next arm in config order
 * when it is free; each arm gets its own container there and writes only its arm directory; the
 * parent then reads the arm's result.json. Results come back in the order of `jobs`. When an arm
 * fails, no further arm is started; the running ones finish (and stay reusable), then this
 * rejects naming every failed arm and its error.
 */
export async function runArmsInWorkers(jobs: readonly ArmJob[], options: WorkerPoolOptions): Promise<ArmResult[]> {
  const entry = armWorkerEntry();
  const results: (ArmResult | undefined)[] = jobs.map(() => undefined);
  const failures: string[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    let worker: ArmWorker | undefined;
    try {
      while (failures.length === 0 && next < jobs.length) {
        const index = next++;
        const job = jobs[index] as ArmJob;
        try {
          if (!worker || worker.exited) worker = await startArmWorker(entry, options); // a crashed worker is replaced
          results[index] = await worker.run(job);
        } catch (error) {
          failures.push(`arm '${job.arm.label}' failed in its worker: ${(error as Error).message}`);
        }
      }
    } finally {
      await worker?.stop();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.workers, jobs.length)) }, lane));
  if (failures.length > 0) {
    const notStarted = jobs.length - next;
    const rest = notStarted > 0 ? `\n${notStarted} arm(s) not started; rerun with resume (--resume) to continue: finished arms are reused` : '';
    throw new Error(`${failures.join('\n')}${rest}`);
  }
  return results as ArmResult[];
}

interface ArmWorker {
  readonly exited: boolean;
  /** Runs one arm; resolves with its result.json, rejects with the arm's error or the worker's death. */
  run(job: ArmJob): Promise<ArmResult>;
  /** Asks the worker to exit and waits until it has. */
  stop(): Promise<void>;
}

/** Memory limits the parent was started with carry over to its workers; nothing else does. */
const memoryFlags = () => process.execArgv.filter((flag) => /^--max-(old|semi)-space-size=/.test(flag));

/**
 * The workers' environment: each gets its share of the cores for wasm threads
 * (`ROBUSTFAIR_WASM_THREADS`), unless that is set already; N workers each starting a pool as
 * large as the machine would oversubscribe it several times over.
 */
export function workerEnvironment(workers: number, env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): NodeJS.ProcessEnv {
  if (env['ROBUSTFAIR_WASM_THREADS'] !== undefined && env['ROBUSTFAIR_WASM_THREADS'] !== '') return env;
  return { ...env, ROBUSTFAIR_WASM_THREADS: String(Math.max(1, Math.floor(cores / workers))) };
}

async function startArmWorker(entry: string, options: WorkerPoolOptions): Promise<ArmWorker> {
  const child: ChildProcess = fork(entry, [], {
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    execArgv: memoryFlags(),
    env: workerEnvironment(options.workers),
  });
  let exited = false;
  let label = `worker ${child.pid ?? '?'}`;
  // Lines the worker writes itself (warnings, a crash) are shown under the arm it is running; the
  // last ones explain a worker that died without reporting.
  const tail: string[] = [];
  const forward = (stream: Readable | null) => {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 12) tail.shift();
      options.reporter.info(`[${label}] ${line}`);
    });
  };
  forward(child.stdout);
  forward(child.stderr);
  let settle: { resolve(outcome: WorkerMessage | undefined): void } | undefined;
  const closed = new Promise<void>((resolve) => {
    // 'close' comes after the output streams are drained, so every forwarded line is in.
    child.on('close', (code, signal) => {
      exited = true;
      if (settle) {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code ?? '?'}`;
        tail.unshift(`the worker ${how}`);
        settle.resolve(undefined);
      }
      resolve();
    });
  });
  const next = () => new Promise<WorkerMessage | undefined>((resolve) => (settle = { resolve }));
  child.on('message', (message: WorkerMessage) => {
    switch (message.type) {
      case 'info':
        options.reporter.info(message.message);
        return;
      case 'progress':
        reportProgress(options.reporter, message.event);
        return;
      case 'print':
        options.print?.(message.text);
        return;
      default:
        settle?.resolve(message);
        settle = undefined;
    }
  });
  child.on('error', (error) => tail.push(error.message));
  const ready = await next();
  if (ready?.type !== 'ready') throw new Error(`the worker did not start: ${tail.join('\n')}`);
  const send = (message: ParentMessage) => child.send(message);
  return {
    get exited() {
      return exited;
    },
    async run(job) {
      label = job.arm.label;
      tail.length = 0;
      options.reporter.info(`[${label}] running in worker process ${child.pid ?? '?'}`);
      const outcome = next();
      send({ type: 'run-arm', shared: options.shared, job });
      const message = await outcome;
      if (message?.type === 'finished') return readArmResult(job.armDirectory);
      if (message?.type === 'failed') throw new Error(message.message);
      throw new Error(tail.join('\n'));
    },
    async stop() {
      if (!exited && child.connected) send({ type: 'exit' });
      await closed;
    },
  };
}
