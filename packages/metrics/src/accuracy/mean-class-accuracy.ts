import type { ClassCounts } from '@robustfair/spec';
import { classAccuracies } from './class-accuracies.js';

/**
 * Unweighted mean of the class accuracies, mean_c A_c (the denominator of NSD). Differs from
 * {@link averageAccuracy} when classes have different counts. Throws like {@link classAccuracies}.
 */
export function meanClassAccuracy(counts: ClassCounts): number {
  return mean(classAccuracies(counts));
}

/** Arithmetic mean of a non-empty list. */
export function mean(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0) / values.length;
}
