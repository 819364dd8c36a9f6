import path from 'node:path';
import type { Arm } from './config/ablate.js';
import type { LoadedConfig } from './config/load-config.js';
import { assertPathSegment } from './config/path-segment.js';
import { specHash } from './results/checkpoint-store.js';
import { runArmsWithWorkers } from './run/local-worker-pool.js';
import { prepare } from './run/prepare.js';
import { runArm } from './run/run-arm.js';
import type { ArmContext, ArmManifest, ArmResult, ComparisonResult, RunOptions } from './run/run-types.js';
import { prepareSweep, writeSweepComparison } from './run/sweep.js';
import { teacherSpecOf, trainTeachers } from './run/teachers.js';

// A run, stage by stage: prepare (src/run/prepare.ts), teachers (run/teachers.ts), the arms here
// or in the local worker pool (run/local-worker-pool.ts), each through run/run-arm.ts; then the
// comparison. Saved-model evaluation is run/evaluate-saved-model.ts.

/**
 * Runs every arm of a config in its own child container, writing each arm's result atomically
 * as soon as it finishes, then the comparison. Teachers are trained (or imported) first, in this
 * process, once per distinct teacher spec; then the arms run one after another here, or with
 * `workers` > 1 in up to that many child processes (results are identical either way: every
 * random stream derives from the arm's seed).
 */
export async function runExperiments(config: LoadedConfig, options: RunOptions): Promise<ComparisonResult> {
  const requestedWorkers = checkWorkerCount(options.workers ?? 1);
  const { context, jobs, teachers, comparison } = await prepareSweep(config, options);
  const results: ArmResult[] = [];
  if (requestedWorkers === 1) {
    for (const job of jobs) results.push(await runArm(context, job.arm, job.armDirectory, job.flags));
  } else {
    results.push(...(await runArmsWithWorkers(context, jobs, requestedWorkers)));
  }
  return writeSweepComparison(comparison, results, teachers.values(), { reporter: context.reporter, print: options.print });
}

function checkWorkerCount(workers: number): number {
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a whole number of at least 1, got ${workers}`);
  return workers;
}

/**
 * Continues exactly the arm in `armDirectory` (`robustfair train --resume DIR`), wherever that
 * directory is now: its label is the manifest's, its checkpoints, epoch log and results are
 * DIR's, and a distillation arm's teacher is looked up (or trained) next to it, in
 * `<DIR>/../teachers/`, as the comparison it belongs to cached it. Nothing outside that is
 * written: a comparison's comparison.json is refreshed by `compare --resume` (or `ablate`).
 * The `out` recorded in the manifest is ignored, so a moved run never trains in its old place.
 */
export async function resumeArm(
  config: LoadedConfig,
  manifest: Pick<ArmManifest, 'name' | 'label' | 'previousSpecHash'>,
  armDirectory: string,
  options: Omit<RunOptions, 'out' | 'resume' | 'workers'>,
): Promise<ArmResult> {
  const directory = path.resolve(armDirectory);
  const arm: Arm = { label: assertPathSegment(manifest.label, 'arm manifest', 'label'), spec: config.spec };
  const name = assertPathSegment(manifest.name, 'arm manifest', 'name');
  // Recorded in the rewritten spec.json; the arm runs in `directory` whatever it says.
  const runOptions: RunOptions = { ...options, out: path.dirname(path.dirname(directory)), resume: true };
  const { root, reporter, backend } = await prepare(config, [arm], runOptions);
  const context: ArmContext = { root, reporter, backend, name, configFile: config.file, options: runOptions };
  const teachers = await trainTeachers(context, [arm], path.dirname(directory));
  const teacherSpec = teacherSpecOf(arm.spec);
  const teacher = teacherSpec ? teachers.get(specHash(teacherSpec)) : undefined;
  const result = await runArm(context, arm, directory, {
    saveWeights: options.saveWeights === true,
    resume: true,
    ...(teacher ? { teacher } : {}),
    ...(manifest.previousSpecHash ? { acceptedSpecHashes: [manifest.previousSpecHash] } : {}),
  });
  reporter.info(`results written to ${directory}`);
  return result;
}

