import { hostname } from 'node:os';
import path from 'node:path';
import type { BackendChoice } from '@robustfair/core';
import { createLineReporter, prepareSweep, reuseFinishedArm, specHash, type ComparisonResult, type LoadedConfig, type RunOptions } from '@robustfair/runner';
import { Queue, QueueEvents } from 'bullmq';
import { armJobId } from './arm-job-id.js';
import { armQueueName, type ArmJobData } from './arm-job-data.js';
import { finishSweep, followSweep } from './follow-sweep.js';
import { reachQueue } from './reach-queue.js';
import { parseRedisUrl, redactRedisUrl } from './redis-url.js';
import { writeSweepManifest, type SweepManifest } from './sweep-manifest.js';

/** How `submitSweep` queues a sweep. */
export interface SubmitOptions extends Omit<RunOptions, 'workers' | 'resume'> {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`. */
  readonly queue: string;
  /** Queue the arms and return without following them. */
  readonly detach?: boolean;
  /** Attempts per arm before it fails for good (a worker's death does not count). Default 3. */
  readonly attempts?: number;
  /** How often the arms' states are read while following. Default 1000 ms. */
  readonly pollMilliseconds?: number;
}

/**
 * Submits a sweep to the queue: the once-only stage here (checks, datasets, teachers into the
 * shared `out`), then one job per arm not finished yet, its id derived from the arm's spec and
 * directory (`armJobId`: submitting twice adds nothing twice; a failed arm is retried). Unless
 * `detach`, follows the jobs and writes the comparison once all are done; resolves with it
 * (undefined when detached), or fails naming the arms that did not finish.
 */
export async function submitSweep(config: LoadedConfig, options: SubmitOptions): Promise<ComparisonResult | undefined> {
  const target = parseRedisUrl(options.queue);
  const reporter = options.reporter ?? createLineReporter();
  // Without listeners an 'error' event would throw; ioredis reconnects by itself.
  const onError = (error: Error) => reporter.info(`queue ${target.display}: ${redactRedisUrl(error.message)} (retrying)`);
  const queue = new Queue(armQueueName, { connection: target.options });
  queue.on('error', onError);
  let events: QueueEvents | undefined;
  try {
    // Before any teacher trains: a Redis that is not there fails now, naming the URL.
    await reachQueue(queue, target.display);
    // Finished arms are always reused: a queued arm that was interrupted continues from its checkpoint.
    const { context, jobs, teachers, comparison } = await prepareSweep(config, { ...options, reporter, resume: true });
    const backend: BackendChoice = options.backend ?? config.spec.backend;
    events = options.detach ? undefined : new QueueEvents(armQueueName, { connection: target.options });
    events?.on('error', onError);
    const dataOf = new Map<string, ArmJobData>();
    const manifest: SweepManifest = {
      schemaVersion: 1,
      name: comparison.name,
      directory: comparison.directory,
      field: comparison.field,
      printTable: comparison.printTable,
      arms: jobs.map((job) => ({ label: job.arm.label, jobId: armJobId(job), armDirectory: job.armDirectory, specHash: specHash(job.arm.spec) })),
      teachers: [...teachers.values()].map(({ key, directory }) => ({ key, directory })),
    };
    await writeSweepManifest(manifest);
    let queued = 0;
    for (const [index, job] of jobs.entries()) {
      const id = manifest.arms[index]?.jobId as string;
      const data: ArmJobData = { schemaVersion: 1, name: comparison.name, configFile: path.resolve(config.file), out: path.resolve(options.out), backend, job };
      dataOf.set(id, data);
      if (await reuseFinishedArm(context, job.arm, job.armDirectory)) continue;
      reporter.info(`[${job.arm.label}] ${await enqueueArm(queue, id, data, options.attempts ?? 3)} (job ${id})`);
      queued += 1;
    }
    reporter.info(`${queued} arm(s) queued on ${target.display}, ${jobs.length - queued} already finished (submitted from ${hostname()})`);
    if (options.detach) {
      options.print?.(`submitted '${comparison.name}': follow it with robustfair status --queue ${target.display} ${comparison.directory}`);
      return undefined;
    }
    const states = await followSweep(queue, events, manifest, { reporter, print: options.print }, {
      ...(options.pollMilliseconds === undefined ? {} : { pollMilliseconds: options.pollMilliseconds }),
      // A job Redis lost (restarted without persistence, or flushed) is queued again.
      onMissing: async (arm) => {
        const data = dataOf.get(arm.jobId);
        if (!data) return false;
        reporter.info(`[${arm.label}] ${await enqueueArm(queue, arm.jobId, data, options.attempts ?? 3)} again: the queue had lost it`);
        return true;
      },
    });
    return await finishSweep(manifest, states, { reporter, print: options.print });
  } finally {
    await events?.close();
    await queue.close();
  }
}

/** Adds an arm's job unless the queue holds it already; a failed one is retried. Says what it did. */
async function enqueueArm(queue: Queue, id: string, data: ArmJobData, attempts: number): Promise<string> {
  const existing = await queue.getJob(id);
  if (existing) {
    const state = await existing.getState();
    if (state === 'failed') {
      await existing.retry('failed');
      return `failed before (${existing.failedReason}); queued again`;
    }
    if (state !== 'completed') return `already queued (${state})`;
    // Completed, yet its result is not in this directory (deleted since): run it again.
    await existing.remove();
  }
  await queue.add(data.job.arm.label, data, {
    jobId: id,
    attempts,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: false,
    removeOnFail: false,
  });
  return 'queued';
}
