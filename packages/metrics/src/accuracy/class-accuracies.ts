import type { ClassCounts } from '@robustfair/spec';
import { InvalidClassCountsError } from './invalid-class-counts-error.js';

/**
 * Throws InvalidClassCountsError unless `count` and `correct` both have `numClasses` entries,
 * every entry is a finite number ≥ 0, and no class has more correct predictions than samples.
 */
export function assertValidClassCounts(counts: ClassCounts): void {
  const { numClasses, count, correct } = counts;
  if (count.length !== numClasses || correct.length !== numClasses) {
    throw new InvalidClassCountsError(
      `class counts: numClasses is ${numClasses} but count has ${count.length} entries and correct has ${correct.length}`,
    );
  }
  for (let classIndex = 0; classIndex < numClasses; classIndex++) {
    const samples = count[classIndex] ?? Number.NaN;
    const right = correct[classIndex] ?? Number.NaN;
    if (!(Number.isFinite(samples) && samples >= 0 && Number.isFinite(right) && right >= 0 && right <= samples)) {
      throw new InvalidClassCountsError(
        `class counts: class ${classIndex} has count ${samples} and correct ${right}; expected 0 ≤ correct ≤ count`,
      );
    }
  }
}

/**
 * Accuracy of each class, A_c = correct_c / count_c (index = class id). Throws
 * InvalidClassCountsError naming the class when a class has no samples, since its accuracy is
 * undefined, and when the counts are malformed.
 */
export function classAccuracies(counts: ClassCounts): number[] {
  assertValidClassCounts(counts);
  return counts.count.map((samples, classIndex) => {
    if (samples === 0) {
      throw new InvalidClassCountsError(`class ${classIndex} has no samples, so its accuracy is undefined`);
    }
    return (counts.correct[classIndex] ?? 0) / samples;
  });
}
