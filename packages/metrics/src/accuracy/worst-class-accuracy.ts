import type { ClassCounts } from '@robustfair/spec';
import { classAccuracies } from './class-accuracies.js';

/** The lowest class accuracy and the class it belongs to. */
export interface WorstClass {
  readonly accuracy: number;
  /** Class id; on a tie, the lowest id. */
  readonly classIndex: number;
}

/**
 * "Worst" of docs/methods/evaluation.md: min_c A_c, with the class that attains it (the lowest class id on
 * a tie). Throws like {@link classAccuracies}.
 */
export function worstClassAccuracy(counts: ClassCounts): WorstClass {
  return worstOf(classAccuracies(counts));
}

/** Minimum of per-class accuracies and its first index. */
export function worstOf(accuracies: readonly number[]): WorstClass {
  let classIndex = 0;
  accuracies.forEach((accuracy, index) => {
    if (accuracy < (accuracies[classIndex] ?? Number.POSITIVE_INFINITY)) classIndex = index;
  });
  return { accuracy: accuracies[classIndex] ?? Number.NaN, classIndex };
}
