import type { ClassStatistics, ClassVector } from '@robustfair/spec';

/** A vector of `length` copies of `value`. */
export function filled(length: number, value: number): number[] {
  return Array.from({ length }, () => value);
}

/** Sum of the entries (0 for an empty vector). */
export function sum(values: ClassVector): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Unweighted mean of the entries. */
export function mean(values: ClassVector): number {
  return sum(values) / values.length;
}

/** `value` limited to [lower, upper]. */
export function clamp(value: number, lower: number, upper: number): number {
  return Math.min(upper, Math.max(lower, value));
}

/**
 * Throws a RangeError naming the strategy when the statistics cover a different number of
 * classes than the state was initialised with.
 */
export function assertClassCount(strategyId: string, expected: number, statistics: ClassStatistics): void {
  if (statistics.count.length !== expected) {
    throw new RangeError(
      `fairness strategy '${strategyId}': statistics cover ${statistics.count.length} classes but the state has ${expected}`,
    );
  }
}

/**
 * Throws a RangeError naming the strategy when the statistics come from another split than the
 * one it declared in `requires.split` (FRL and WAT must not be fed training statistics).
 */
export function assertSplit(strategyId: string, expected: 'train' | 'validation', statistics: ClassStatistics): void {
  if (statistics.split !== expected) {
    throw new RangeError(
      `fairness strategy '${strategyId}' reads the ${expected} split but received epoch-${statistics.epoch} statistics of the ${statistics.split} split`,
    );
  }
}
