import type { ClassCounts } from '@robustfair/spec';
import { assertValidClassCounts } from './class-accuracies.js';
import { InvalidClassCountsError } from './invalid-class-counts-error.js';

/**
 * "Avg" of docs/methods/evaluation.md: overall accuracy Σ_c correct_c / Σ_c count_c over the whole test set.
 * Equals {@link meanClassAccuracy} only when every class has the same count. A class without
 * samples is allowed; throws InvalidClassCountsError when there are no samples at all.
 */
export function averageAccuracy(counts: ClassCounts): number {
  assertValidClassCounts(counts);
  const total = sum(counts.count);
  if (total === 0) throw new InvalidClassCountsError('class counts: no samples at all, so accuracy is undefined');
  return sum(counts.correct) / total;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
