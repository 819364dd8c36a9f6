import { describe, expect, it } from 'vitest';
import { createClassStatistics } from './create-class-statistics.js';

describe(createClassStatistics, () => {
  it('keeps sums and turns means into sums (mean × count)', () => {
    const statistics = createClassStatistics({
      epoch: 3,
      count: [10, 4],
      sums: { 'natural-error': [1, 2] },
      means: { 'robust-error': [0.5, 0.25] },
    });
    expect(statistics).toEqual({
      epoch: 3,
      split: 'train',
      count: [10, 4],
      sums: { 'natural-error': [1, 2], 'robust-error': [5, 1] },
    });
  });

  it('defaults to epoch 0 on the train split', () => {
    expect(createClassStatistics({ count: [1] })).toEqual({ epoch: 0, split: 'train', count: [1], sums: {} });
  });

  it('rejects a vector whose length differs from count', () => {
    expect(() => createClassStatistics({ count: [1, 2], sums: { 'robust-loss': [1] } })).toThrow(/'robust-loss' has 1 entries/);
  });

  it('rejects a signal given both as sums and as means', () => {
    expect(() =>
      createClassStatistics({ count: [1], sums: { 'robust-loss': [1] }, means: { 'robust-loss': [1] } }),
    ).toThrow(/both as sums and as means/);
  });
});
