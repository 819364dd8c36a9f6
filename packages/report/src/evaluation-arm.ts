import type { ClassSummaryFile, EvaluationFile, JsonValue } from '@robustfair/spec';
import type { RunArm } from './read-run-directories.js';

/** What evaluation.json does not record about the arm it belongs to. */
export interface EvaluationArmOptions {
  /** Where the evaluation came from (a directory, or a name in a browser); shown in notes. */
  readonly source: string;
  readonly label: string;
  /** The radius the attacks used. */
  readonly epsilon: number;
  readonly seed?: number;
  readonly spec?: Readonly<Record<string, JsonValue>>;
}

/**
 * One evaluation.json (an `eval` run's, or the browser playground's) as a report arm with no
 * training log, so `buildReportModel` and `reportPlots` draw its class-wise plot.
 *
 * @example
 * const model = buildReportModel({ arms: [evaluationArm(evaluationFileSchema.parse(json), { source: 'page', label: 'model', epsilon: 8 / 255 })], sources: ['page'], notes: [] });
 */
export function evaluationArm(evaluation: EvaluationFile, options: EvaluationArmOptions): RunArm {
  const rows = new Map<string, ClassSummaryFile>(
    evaluation.rows.map((row) => [
      row.id,
      {
        count: row.counts.count,
        correct: row.counts.correct,
        classAccuracy: row.classAccuracy,
        average: row.average,
        worstClass: row.worstClass,
        nsd: row.nsd,
        ...(row.worstClassInterval ? { worstClassInterval: row.worstClassInterval } : {}),
      },
    ]),
  );
  return {
    directory: options.source,
    experiment: options.label,
    label: options.label,
    seed: options.seed ?? 0,
    spec: options.spec ?? {},
    split: evaluation.split ?? 'test',
    epsilon: options.epsilon,
    evaluations: rows,
    ...(evaluation.classNames ? { classNames: evaluation.classNames } : {}),
    epochs: [],
    flags: [],
  };
}
