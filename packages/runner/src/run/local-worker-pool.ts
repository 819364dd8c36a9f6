import { availableParallelism } from 'node:os';
import path from 'node:path';
import { runArmsInWorkers } from '../parallel/run-arms-in-workers.js';
import { reuseFinishedArm, runArm } from './run-arm.js';
import type { ArmContext, ArmJob, ArmResult } from './run-types.js';

/**
 * The arms in child processes: finished arms are reused here (with `resume`), the others run in
 * up to `requested` workers (bounded by the cores and by the arms left). Results in config order.
 */
export async function runArmsWithWorkers(context: ArmContext, jobs: readonly ArmJob[], requested: number): Promise<ArmResult[]> {
  const results = new Map<ArmJob, ArmResult>();
  const pending: ArmJob[] = [];
  for (const job of jobs) {
    const finished = job.flags.resume ? await reuseFinishedArm(context, job.arm, job.armDirectory) : undefined;
    if (finished) results.set(job, finished);
    else pending.push(job);
  }
  const cores = availableParallelism();
  if (requested > cores) context.reporter.info(`workers: ${requested} asked for, this machine runs ${cores} at once; using ${cores}`);
  const workers = Math.min(requested, cores, pending.length);
  if (workers <= 1) {
    for (const job of pending) results.set(job, await runArm(context, job.arm, job.armDirectory, job.flags));
  } else {
    context.reporter.info(`running ${pending.length} arm(s) in ${workers} worker processes`);
    const trained = await runArmsInWorkers(pending, {
      workers,
      shared: { name: context.name, configFile: context.configFile, out: path.resolve(context.options.out), backend: context.backend },
      reporter: context.reporter,
      ...(context.options.print ? { print: context.options.print } : {}),
    });
    pending.forEach((job, index) => results.set(job, trained[index] as ArmResult));
  }
  return jobs.map((job) => results.get(job) as ArmResult);
}

