import { describe, expect, it } from 'vitest';
import { allClassSignals } from './class-signals.js';
import { createRandomClassStatistics, createUniformClassStatistics } from './random-class-statistics.js';

describe(createRandomClassStatistics, () => {
  const options = { numClasses: 5, epoch: 2, split: 'validation', seed: 11 } as const;

  it('is deterministic for a seed and differs across seeds', () => {
    expect(createRandomClassStatistics(options)).toEqual(createRandomClassStatistics(options));
    expect(createRandomClassStatistics({ ...options, seed: 12 })).not.toEqual(createRandomClassStatistics(options));
  });

  it('carries every signal, with consistent error sums', () => {
    const statistics = createRandomClassStatistics(options);
    expect(statistics.epoch).toBe(2);
    expect(statistics.split).toBe('validation');
    expect(Object.keys(statistics.sums).sort()).toEqual([...allClassSignals].sort());
    statistics.count.forEach((count, classIndex) => {
      expect(Number.isInteger(count) && count >= 1 && count <= 40).toBe(true);
      const natural = statistics.sums['natural-error']![classIndex]!;
      const robust = statistics.sums['robust-error']![classIndex]!;
      expect(natural).toBeGreaterThanOrEqual(0);
      expect(robust).toBeGreaterThanOrEqual(natural);
      expect(robust).toBeLessThanOrEqual(count);
      expect(statistics.sums['boundary-error']![classIndex]).toBe(robust - natural);
    });
  });
});

describe(createUniformClassStatistics, () => {
  it('gives every class the same count and the same sums', () => {
    const statistics = createUniformClassStatistics({ numClasses: 3, epoch: 0, split: 'train' });
    expect(statistics.count).toEqual([20, 20, 20]);
    for (const signal of allClassSignals) {
      const sums = statistics.sums[signal]!;
      expect(new Set(sums).size).toBe(1);
    }
    expect(statistics.sums['robust-error']).toEqual([10, 10, 10]);
  });
});
