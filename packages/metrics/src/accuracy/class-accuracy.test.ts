import type { ClassCounts } from '@robustfair/spec';
import { describe, expect, it } from 'vitest';
import { averageAccuracy } from './average-accuracy.js';
import { classAccuracies } from './class-accuracies.js';
import { InvalidClassCountsError } from './invalid-class-counts-error.js';
import { meanClassAccuracy } from './mean-class-accuracy.js';
import { normalizedStandardDeviation } from './normalized-standard-deviation.js';
import { summarizeClassAccuracy } from './summarize-class-accuracy.js';
import { worstClassAccuracy } from './worst-class-accuracy.js';

const counts = (count: number[], correct: number[]): ClassCounts => ({ numClasses: count.length, count, correct });

// Balanced, C = 4: A = [0.8, 0.6, 0.4, 0.2], mean 0.5, deviations ±0.3, ±0.1,
// Σ squared deviations = 0.09 + 0.01 + 0.01 + 0.09 = 0.2.
const balanced = counts([10, 10, 10, 10], [8, 6, 4, 2]);
// Unbalanced, C = 2: A = [9/10, 15/30] = [0.9, 0.5]; overall 24/40 = 0.6; class mean 0.7.
const unbalanced = counts([10, 30], [9, 15]);

describe(classAccuracies, () => {
  it('divides correct by count per class', () => {
    expect(classAccuracies(balanced)).toEqual([0.8, 0.6, 0.4, 0.2]);
    expect(classAccuracies(unbalanced)).toEqual([0.9, 0.5]);
  });

  it('throws naming a class without samples', () => {
    const call = () => classAccuracies(counts([10, 0, 5], [3, 0, 5]));
    expect(call).toThrow(InvalidClassCountsError);
    expect(call).toThrow('class 1 has no samples, so its accuracy is undefined');
  });

  it('rejects vectors that do not match numClasses', () => {
    expect(() => classAccuracies({ numClasses: 3, count: [1, 1], correct: [1, 1] })).toThrow(/numClasses is 3 but count has 2/);
  });

  it('rejects more correct predictions than samples, naming the class', () => {
    expect(() => classAccuracies(counts([4, 4], [4, 5]))).toThrow(/class 1 has count 4 and correct 5/);
  });
});

describe(averageAccuracy, () => {
  it('is the overall accuracy Σ correct / Σ count', () => {
    expect(averageAccuracy(balanced)).toBeCloseTo(20 / 40, 12);
    expect(averageAccuracy(unbalanced)).toBeCloseTo(0.6, 12);
  });

  it('differs from the mean class accuracy on unbalanced counts', () => {
    expect(meanClassAccuracy(unbalanced)).toBeCloseTo(0.7, 12);
    expect(averageAccuracy(unbalanced)).not.toBeCloseTo(meanClassAccuracy(unbalanced), 6);
  });

  it('allows a class without samples but not an empty test set', () => {
    expect(averageAccuracy(counts([10, 0], [5, 0]))).toBe(0.5);
    expect(() => averageAccuracy(counts([0, 0], [0, 0]))).toThrow(/no samples at all/);
  });
});

describe(worstClassAccuracy, () => {
  it('returns the lowest accuracy and its class', () => {
    expect(worstClassAccuracy(balanced)).toEqual({ accuracy: 0.2, classIndex: 3 });
    expect(worstClassAccuracy(unbalanced)).toEqual({ accuracy: 0.5, classIndex: 1 });
  });

  it('picks the lowest class id on a tie', () => {
    expect(worstClassAccuracy(counts([10, 10, 10], [5, 3, 3]))).toEqual({ accuracy: 0.3, classIndex: 1 });
  });
});

describe(normalizedStandardDeviation, () => {
  it('uses the population std by default: √(0.2 / 4) / 0.5', () => {
    expect(normalizedStandardDeviation(balanced)).toBeCloseTo(Math.sqrt(0.2 / 4) / 0.5, 12);
    expect(normalizedStandardDeviation(balanced, { std: 'population' })).toBeCloseTo(Math.sqrt(0.05) * 2, 12);
  });

  it('uses C − 1 with the sample std: √(0.2 / 3) / 0.5', () => {
    expect(normalizedStandardDeviation(balanced, { std: 'sample' })).toBeCloseTo(Math.sqrt(0.2 / 3) / 0.5, 12);
  });

  it('the two conventions differ by √(C / (C − 1))', () => {
    const ratio = normalizedStandardDeviation(balanced, { std: 'sample' }) / normalizedStandardDeviation(balanced);
    expect(ratio).toBeCloseTo(Math.sqrt(4 / 3), 12);
  });

  it('normalises by the unweighted class mean on unbalanced counts', () => {
    // A = [0.9, 0.5]: mean 0.7, deviations ±0.2 → population std 0.2, sample std √0.08.
    expect(normalizedStandardDeviation(unbalanced)).toBeCloseTo(0.2 / 0.7, 12);
    expect(normalizedStandardDeviation(unbalanced, { std: 'sample' })).toBeCloseTo(Math.sqrt(0.08) / 0.7, 12);
  });

  it('is 0 when every class has the same accuracy', () => {
    expect(normalizedStandardDeviation(counts([10, 20], [5, 10]))).toBe(0);
  });

  it('is NaN when every class has accuracy 0 (0 / 0), and for the sample std of one class', () => {
    expect(normalizedStandardDeviation(counts([10, 10], [0, 0]))).toBeNaN();
    expect(normalizedStandardDeviation(counts([10], [5]), { std: 'sample' })).toBeNaN();
    expect(normalizedStandardDeviation(counts([10], [5]))).toBe(0);
  });
});

describe(summarizeClassAccuracy, () => {
  it('gathers class accuracies, Avg, Worst and population NSD', () => {
    const summary = summarizeClassAccuracy(unbalanced);
    expect(summary.classAccuracy).toEqual([0.9, 0.5]);
    expect(summary.average).toBeCloseTo(0.6, 12);
    expect(summary.worstClass).toEqual({ accuracy: 0.5, classIndex: 1 });
    expect(summary.nsd).toBeCloseTo(0.2 / 0.7, 12);
  });

  it('passes the std convention through', () => {
    expect(summarizeClassAccuracy(balanced, { std: 'sample' }).nsd).toBeCloseTo(Math.sqrt(0.2 / 3) / 0.5, 12);
  });
});
