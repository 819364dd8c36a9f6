import { describe, expect, it } from 'vitest';
import { meanAndDeviation } from './mean-and-deviation.js';

describe(meanAndDeviation, () => {
  it('gives the mean and the sample standard deviation (divisor n − 1)', () => {
    const two = meanAndDeviation([0.1, 0.2]);
    expect(two.mean).toBeCloseTo(0.15, 12);
    expect(two.std).toBeCloseTo(0.1 / Math.SQRT2, 12);
    // Σ (x − 5)² = 32 over 8 values: sample variance 32/7
    const eight = meanAndDeviation([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(eight).toEqual({ mean: 5, std: Math.sqrt(32 / 7), count: 8 });
  });

  it('has no std for one value, and no mean for none or for an undefined value', () => {
    expect(meanAndDeviation([0.3])).toEqual({ mean: 0.3, std: Number.NaN, count: 1 });
    expect(meanAndDeviation([])).toEqual({ mean: Number.NaN, std: Number.NaN, count: 0 });
    expect(meanAndDeviation([0.2, Number.NaN])).toEqual({ mean: Number.NaN, std: Number.NaN, count: 2 });
  });
});
