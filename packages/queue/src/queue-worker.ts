import { hostname } from 'node:os';
import path from 'node:path';
import { selectBackend, type BackendSelection } from '@robustfair/core';
import {
  ArmInterruptedError,
  ArmInUseError,
  builtinBackendProviders,
  isMilestone,
  reportProgress,
  runArmJob,
  specHash,
  type ProgressEvent,
  type ProgressReporter,
} from '@robustfair/runner';
import { DelayedError, WaitingError, Worker, type Job } from 'bullmq';
import { finishedResult } from './arm-states.js';
import { armQueueName, readArmJobData, type ArmJobData } from './arm-job-data.js';
import { checkPluginsOnWorker } from './plugins-on-worker.js';
import { parseRedisUrl, redactRedisUrl } from './redis-url.js';

/** How a queue worker runs. */
export interface QueueWorkerOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`. */
  readonly queue: string;
  /** Arms run at once in this process. Default 1. */
  readonly concurrency?: number;
  /**
   * How long a job's lock lasts without renewal (renewed at half of it while the arm runs). A
   * killed worker's job goes to another worker about this long after it died. Default 30 s.
   */
  readonly lockMilliseconds?: number;
  readonly reporter: ProgressReporter;
  readonly print?: (text: string) => void;
  /**
   * Aborted: take no new job, stop each running arm once its current epoch is checkpointed, put
   * it back in the queue (another worker continues it), and resolve.
   */
  readonly signal?: AbortSignal;
}

/** What a job returns: whether this worker wrote the arm's result or found it written. */
export interface ArmJobOutcome {
  readonly label: string;
  readonly resultWritten: boolean;
  readonly host: string;
}

/** Workers report progress to the queue at most this often per job, besides every milestone. */
const progressIntervalMilliseconds = 1000;

/**
 * `robustfair worker`: takes arms from the queue and runs each exactly as the local path does
 * (`runArmJob`, resuming from the arm's last checkpoint in the shared results directory, and
 * reusing a finished result), reporting progress to the job. Resolves once `signal` aborts and
 * the running arms are checkpointed and handed back (at once when none runs); connections may
 * still be closing then, so a command that is done should exit the process.
 */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<void> {
  const target = parseRedisUrl(options.queue);
  const { reporter } = options;
  const lockDuration = options.lockMilliseconds ?? 30_000;
  let active: { choice: string; selection: BackendSelection } | undefined;
  const backendFor = async (choice: string): Promise<BackendSelection> => {
    if (active?.choice !== choice) {
      const selection = await selectBackend(choice === 'auto' ? undefined : (choice as Exclude<ArmJobData['backend'], 'auto'>), builtinBackendProviders);
      active = { choice, selection };
      reporter.info(`backend: ${selection.active}`);
    }
    return active.selection;
  };
  let running = 0;
  const processor = async (job: Job<ArmJobData, ArmJobOutcome>, token?: string): Promise<ArmJobOutcome> => {
    running += 1;
    try {
      return await runJob(job, token);
    } finally {
      running -= 1;
    }
  };
  const runJob = async (job: Job<ArmJobData, ArmJobOutcome>, token?: string): Promise<ArmJobOutcome> => {
    const data = readArmJobData(job.id, job.data);
    const { label } = data.job.arm;
    const host = hostname();
    if (await finishedResult(data.job.armDirectory, specHash(data.job.arm.spec))) {
      reporter.info(`[${label}] already finished in ${data.job.armDirectory}: job ${job.id} done`);
      return { label, resultWritten: false, host };
    }
    reporter.info(`[${label}] job ${job.id}, attempt ${job.attemptsMade + 1}, on ${host} (pid ${process.pid})`);
    await checkPluginsOnWorker(data);
    const backend = await backendFor(data.backend);
    let lastSent = 0;
    const jobReporter: ProgressReporter = {
      info: (line) => reporter.info(line),
      progress: (event: ProgressEvent) => {
        reportProgress(reporter, event);
        const now = Date.now();
        if (!isMilestone(event) && now - lastSent < progressIntervalMilliseconds) return;
        lastSent = now;
        // Progress is for people watching; a lost update (Redis restarting) is not an error.
        job.updateProgress(event).catch(() => undefined);
      },
    };
    try {
      await runArmJob(
        { name: data.name, configFile: data.configFile, out: data.out, backend },
        // Always resume: a job handed over after a worker died continues from its checkpoint.
        { ...data.job, flags: { ...data.job.flags, resume: true } },
        { reporter: jobReporter, ...(options.print ? { print: options.print } : {}) },
        { ...(options.signal ? { signal: options.signal } : {}), ...(job.id === undefined ? {} : { queueJob: job.id }) },
      );
    } catch (error) {
      if (error instanceof ArmInterruptedError && token !== undefined) {
        reporter.info(`[${label}] checkpointed after epoch ${error.completedEpochs}; back in the queue`);
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (error instanceof ArmInUseError && token !== undefined) {
        // Still locked by a live run on this host (a worker the queue thought dead): try later, without spending an attempt.
        reporter.info(`[${label}] ${error.message}; trying again in ${Math.round(lockDuration / 1000)} s`);
        await job.moveToDelayed(Date.now() + lockDuration, token);
        throw new DelayedError();
      }
      reporter.info(`[${label}] failed: ${(error as Error).message}`);
      throw error;
    }
    reporter.info(`[${label}] result written to ${path.join(data.job.armDirectory, 'result.json')}`);
    return { label, resultWritten: true, host };
  };
  const worker = new Worker<ArmJobData, ArmJobOutcome>(armQueueName, processor, {
    connection: target.options,
    concurrency: options.concurrency ?? 1,
    lockDuration,
    stalledInterval: lockDuration,
    // A worker's death is not the arm's fault: it may be handed on this many times.
    maxStalledCount: 10,
    autorun: false,
  });
  // Without a listener an 'error' event would throw; ioredis reconnects by itself.
  worker.on('error', (error: Error) => reporter.info(`queue ${target.display}: ${redactRedisUrl(error.message)} (retrying)`));
  const closed = new Promise<void>((resolve) => {
    const stop = () => {
      if (running === 0) {
        // Nothing to hand back: stop now, even when Redis is away (closing would wait for it).
        reporter.info('stopping: no arm is running');
        worker.close(true).catch(() => undefined);
        resolve();
        return;
      }
      reporter.info('stopping: the running arms checkpoint their epoch and go back to the queue');
      worker.close().then(resolve, (error: Error) => {
        reporter.info(`queue ${target.display}: ${redactRedisUrl(error.message)}`);
        resolve();
      });
    };
    if (options.signal?.aborted) stop();
    else options.signal?.addEventListener('abort', stop, { once: true });
  });
  reporter.info(`worker on ${hostname()} (pid ${process.pid}) taking arms from ${target.display}, ${options.concurrency ?? 1} at a time`);
  void worker.run().catch((error: Error) => reporter.info(`queue ${target.display}: ${redactRedisUrl(error.message)}`));
  await closed;
}

