import type { ConfidenceInterval } from '@robustfair/metrics';
import type { EvaluationRow } from '@robustfair/attacks';

/** Per-class counts with their class-wise accuracy, average, worst class and NSD. */
export interface ClassSummary {
  readonly count: readonly number[];
  readonly correct: readonly number[];
  readonly classAccuracy: readonly number[];
  readonly average: number;
  readonly worstClass: { readonly accuracy: number; readonly classIndex: number };
  /** std/mean of the class accuracies, population std (docs/methods/evaluation.md#metrics). */
  readonly nsd: number;
  /** Bootstrap interval of the worst-class accuracy, when the evaluation suite computed one. */
  readonly worstClassInterval?: ConfidenceInterval;
}

/** A suite row (`@robustfair/attacks`' EvaluationRow) as a ClassSummary. */
export function summarizeRow(row: EvaluationRow): ClassSummary {
  return {
    count: row.counts.count,
    correct: row.counts.correct,
    classAccuracy: row.classAccuracy,
    average: row.average,
    worstClass: row.worstClass,
    nsd: row.nsd,
    worstClassInterval: row.worstClassInterval,
  };
}
