import path from 'node:path';
import type { Arm } from '../config/ablate.js';
import type { LoadedConfig } from '../config/load-config.js';
import { assertPathSegment } from '../config/path-segment.js';
import type { ProgressReporter } from '../progress/progress-reporter.js';
import { writeComparison } from '../results/arm-files.js';
import { specHash } from '../results/checkpoint-store.js';
import { comparisonCsv } from '../results/comparison-csv.js';
import { formatComparison } from '../results/format-comparison.js';
import { writeFileAtomic } from '../results/write-json-atomic.js';
import { armsOf, prepare } from './prepare.js';
import type { ArmContext, ArmFlags, ArmJob, ArmResult, ComparisonResult, RunOptions, TeacherRecord } from './run-types.js';
import { teacherSpecOf, teacherWarnings, trainTeachers } from './teachers.js';

// The two ends of a run that do not depend on where the arms train (here, in local worker
// processes, or on a queue's workers): what happens once before the arms, and the comparison
// written from their results after.

/** A sweep made ready: its arms as jobs, its teachers trained, and what its comparison needs. */
export interface PreparedSweep {
  readonly context: ArmContext;
  readonly jobs: readonly ArmJob[];
  readonly teachers: ReadonlyMap<string, TeacherRecord>;
  readonly comparison: SweepComparison;
}

/** What writing a sweep's comparison needs besides the arms' results. */
export interface SweepComparison {
  readonly name: string;
  /** `<out>/<name>`, the sweep's directory (absolute). */
  readonly directory: string;
  /** The field the arms differ in; null for a single spec. */
  readonly field: string | null;
  /** Print the comparison table (a config with a compare block). */
  readonly printTable: boolean;
}

/**
 * The once-only stage of a run: checks names and plugins, prepares datasets, selects the backend,
 * trains (or imports) every distinct teacher into `<out>/<name>/teachers/`, and returns one job
 * per arm, in config order, each with its directory and teacher.
 */
export async function prepareSweep(config: LoadedConfig, options: RunOptions): Promise<PreparedSweep> {
  const arms = armsOf(config);
  // The name and every label become directories under `out`: checked before anything loads.
  const name = assertPathSegment(config.spec.name, 'experiment', 'name');
  for (const [index, arm] of arms.entries()) assertPathSegment(arm.label, 'compare', `arms.${index}.label`);
  const { root, reporter, backend } = await prepare(config, arms, options);
  const directory = path.resolve(options.out, name);
  const context: ArmContext = { root, reporter, backend, name, configFile: config.file, options };
  const teachers = await trainTeachers(context, arms, directory);
  const flagsOf = (arm: Arm): ArmFlags => {
    const teacherSpec = teacherSpecOf(arm.spec);
    const teacher = teacherSpec ? teachers.get(specHash(teacherSpec)) : undefined;
    return { saveWeights: options.saveWeights === true, resume: options.resume === true, ...(teacher ? { teacher } : {}) };
  };
  const jobs = arms.map((arm) => ({ arm, armDirectory: path.join(directory, arm.label), flags: flagsOf(arm) }));
  return { context, jobs, teachers, comparison: { name, directory, field: config.compare?.field ?? null, printTable: config.compare !== undefined } };
}

/**
 * Writes comparison.json and comparison.csv from the arms' results (in config order) and the
 * teachers they used, reports the teacher warnings and prints the table. The same bytes whoever
 * calls it, so a queued sweep's comparison is the local one.
 */
export async function writeSweepComparison(
  sweep: SweepComparison,
  results: readonly ArmResult[],
  teachers: Iterable<TeacherRecord>,
  output: { readonly reporter: ProgressReporter; readonly print?: ((text: string) => void) | undefined },
): Promise<ComparisonResult> {
  const comparison: ComparisonResult = {
    schemaVersion: 1,
    name: sweep.name,
    field: sweep.field,
    directory: sweep.directory,
    arms: results,
    teachers: [...teachers].map(({ key, directory: where, result }) => ({ key, directory: where, evaluation: result.evaluation })),
    warnings: teacherWarnings(results),
  };
  for (const warning of comparison.warnings) output.reporter.info(`WARNING ${warning}`);
  await writeComparison(sweep.directory, comparison);
  await writeFileAtomic(path.join(sweep.directory, 'comparison.csv'), comparisonCsv(comparison.arms));
  if (sweep.printTable) output.print?.(`\n${formatComparison(sweep.field ?? 'method', results)}`);
  output.reporter.info(`results written to ${sweep.directory}`);
  return comparison;
}
