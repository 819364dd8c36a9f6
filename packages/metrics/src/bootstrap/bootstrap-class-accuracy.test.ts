import type { ClassCounts } from '@robustfair/spec';
import { describe, expect, it } from 'vitest';
import { worstOf } from '../accuracy/worst-class-accuracy.js';
import {
  bootstrapClassAccuracyDistribution,
  bootstrapClassAccuracyInterval,
  bootstrapWorstClassInterval,
} from './bootstrap-class-accuracy.js';
import { quantileOfSorted } from './quantile.js';
import { createSeededUniform } from './seeded-uniform.js';

const worst = (accuracies: readonly number[]) => worstOf(accuracies).accuracy;

describe(quantileOfSorted, () => {
  it('interpolates linearly between order statistics (numpy linear)', () => {
    // [1, 2, 3, 4]: q = 0.5 → position 1.5 → 2.5; q = 0.25 → position 0.75 → 1.75; ends exact
    expect(quantileOfSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileOfSorted([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantileOfSorted([1, 2, 3, 4], 0)).toBe(1);
    expect(quantileOfSorted([1, 2, 3, 4], 1)).toBe(4);
    expect(quantileOfSorted([7], 0.3)).toBe(7);
  });

  it('rejects an empty list and q outside [0, 1]', () => {
    expect(() => quantileOfSorted([], 0.5)).toThrow(/empty/);
    expect(() => quantileOfSorted([1], 1.5)).toThrow(/\[0, 1\]/);
  });
});

describe(createSeededUniform, () => {
  it('is reproducible for a seed and stays in [0, 1)', () => {
    const first = createSeededUniform(42);
    const second = createSeededUniform(42);
    const values = Array.from({ length: 1000 }, () => first());
    expect(Array.from({ length: 1000 }, () => second())).toEqual(values);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    // the mean of 1000 uniforms is 0.5 ± 0.009 (one standard error); allow 4 of them
    expect(Math.abs(values.reduce((sum, value) => sum + value, 0) / 1000 - 0.5)).toBeLessThan(0.037);
  });
});

describe(bootstrapWorstClassInterval, () => {
  it('is a point when every class is all right or all wrong', () => {
    const counts: ClassCounts = { numClasses: 3, count: [4, 6, 5], correct: [4, 0, 5] };
    expect(bootstrapWorstClassInterval(counts, { seed: 1, resamples: 200 })).toEqual({
      estimate: 0,
      lower: 0,
      upper: 0,
      confidence: 0.95,
      resamples: 200,
    });
  });

  it('follows the hand-computed resampling distribution', () => {
    // class 0: 2 samples, 1 correct → resampled accuracy 0, 1/2, 1 with probability 1/4, 1/2, 1/4;
    // class 1: 1 sample, correct → always 1. So Worst = class 0's accuracy.
    const counts: ClassCounts = { numClasses: 2, count: [2, 1], correct: [1, 1] };
    const values = bootstrapClassAccuracyDistribution(counts, worst, { seed: 7, resamples: 4000 });
    const share = (value: number) => values.filter((candidate) => candidate === value).length / values.length;
    // each share has a standard error ≤ √(0.25/4000) ≈ 0.008; allow 4 of them
    expect(Math.abs(share(0) - 0.25)).toBeLessThan(0.032);
    expect(Math.abs(share(0.5) - 0.5)).toBeLessThan(0.032);
    expect(Math.abs(share(1) - 0.25)).toBeLessThan(0.032);
    const interval = bootstrapWorstClassInterval(counts, { seed: 7, resamples: 4000 });
    // the 2.5 % and 97.5 % points fall inside the 25 % atoms at 0 and 1
    expect([interval.estimate, interval.lower, interval.upper]).toEqual([0.5, 0, 1]);
  });

  it('is deterministic under a seed, and the seed matters', () => {
    const counts: ClassCounts = { numClasses: 3, count: [30, 20, 25], correct: [21, 9, 20] };
    const first = bootstrapWorstClassInterval(counts, { seed: 3, resamples: 300 });
    expect(bootstrapWorstClassInterval(counts, { seed: 3, resamples: 300 })).toEqual(first);
    const draws = (seed: number) => bootstrapClassAccuracyDistribution(counts, worst, { seed, resamples: 300 });
    expect(draws(4)).not.toEqual(draws(3));
    // the estimate is the observed Worst, 9/20, and lies inside its interval
    expect(first.estimate).toBe(0.45);
    expect(first.lower).toBeLessThanOrEqual(0.45);
    expect(first.upper).toBeGreaterThanOrEqual(0.45);
  });

  it('narrows as the classes grow (same accuracies, 100 × the samples)', () => {
    const small: ClassCounts = { numClasses: 2, count: [10, 10], correct: [8, 5] };
    const large: ClassCounts = { numClasses: 2, count: [1000, 1000], correct: [800, 500] };
    const width = (counts: ClassCounts) => {
      const interval = bootstrapWorstClassInterval(counts, { seed: 5, resamples: 400 });
      return interval.upper - interval.lower;
    };
    expect(width(large)).toBeLessThan(width(small) / 3);
  });

  it('rejects bad options and a class without samples', () => {
    const counts: ClassCounts = { numClasses: 2, count: [3, 3], correct: [1, 2] };
    expect(() => bootstrapWorstClassInterval(counts, { seed: 0, confidence: 1 })).toThrow(/confidence/);
    expect(() => bootstrapWorstClassInterval(counts, { seed: 0, resamples: 0 })).toThrow(/resamples/);
    expect(() => bootstrapWorstClassInterval({ numClasses: 2, count: [3, 0], correct: [1, 0] }, { seed: 0 })).toThrow(/class 1 has no samples/);
  });
});

describe(bootstrapClassAccuracyInterval, () => {
  it('accepts any statistic of the class accuracies', () => {
    const counts: ClassCounts = { numClasses: 2, count: [5, 5], correct: [5, 5] };
    const interval = bootstrapClassAccuracyInterval(counts, (accuracies) => accuracies.reduce((sum, value) => sum + value, 0), {
      seed: 0,
      resamples: 10,
      confidence: 0.9,
    });
    expect(interval).toEqual({ estimate: 2, lower: 2, upper: 2, confidence: 0.9, resamples: 10 });
  });
});
