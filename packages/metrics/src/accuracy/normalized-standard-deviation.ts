import type { ClassCounts } from '@robustfair/spec';
import { classAccuracies } from './class-accuracies.js';
import { mean } from './mean-class-accuracy.js';

/**
 * Which standard deviation NSD uses: `'population'` divides by C (numpy's `np.std` default,
 * our default), `'sample'` by C − 1. They differ by a factor √(C / (C − 1)) (×1.054 for C = 10).
 */
export type StandardDeviationConvention = 'population' | 'sample';

/** Options of {@link normalizedStandardDeviation}. */
export interface NormalizedStandardDeviationOptions {
  /** Default `'population'`. */
  readonly std: StandardDeviationConvention;
}

/**
 * NSD of docs/methods/evaluation.md (ABSLD's fairness metric, lower is better): the coefficient of variation
 * of the class accuracies, std_c(A_c) / mean_c(A_c).
 *
 * Conventions: population std by default (ABSLD's choice is unverified; numpy's default).
 * When every class has accuracy 0 the mean is 0 and NSD is 0 / 0, returned as `NaN` (undefined,
 * not "perfectly fair"); `'sample'` with a single class is also `NaN`. Throws like
 * {@link classAccuracies} when a class has no samples.
 */
export function normalizedStandardDeviation(
  counts: ClassCounts,
  options: NormalizedStandardDeviationOptions = { std: 'population' },
): number {
  return nsdOf(classAccuracies(counts), options.std);
}

/** NSD of already computed class accuracies. */
export function nsdOf(accuracies: readonly number[], std: StandardDeviationConvention): number {
  const average = mean(accuracies);
  const squares = accuracies.reduce((total, accuracy) => total + (accuracy - average) ** 2, 0);
  const divisor = std === 'population' ? accuracies.length : accuracies.length - 1;
  if (average === 0 || divisor <= 0) return Number.NaN;
  return Math.sqrt(squares / divisor) / average;
}
