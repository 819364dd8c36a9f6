import { createClassStatistics } from '@robustfair/testkit';
import { RobustfairError } from '@robustfair/spec';
import { describe, expect, it } from 'vitest';
import { classMeans, requireSignal } from './class-means.js';
import { MissingSignalError } from './missing-signal-error.js';

describe(requireSignal, () => {
  it('returns the per-class sums of the signal', () => {
    const statistics = createClassStatistics({ count: [4, 2], sums: { 'robust-error': [1, 2] } });
    expect(requireSignal(statistics, 'robust-error', 'demo')).toEqual([1, 2]);
  });

  it('throws naming the missing signal, the strategy and what is present', () => {
    const statistics = createClassStatistics({ epoch: 4, count: [4, 2], sums: { 'natural-error': [1, 2] } });
    const call = () => requireSignal(statistics, 'robust-error', 'class-reweight');
    expect(call).toThrow(MissingSignalError);
    expect(call).toThrow("fairness strategy 'class-reweight' needs signal 'robust-error': the epoch-4 statistics carry only 'natural-error'");
    let caught: unknown;
    try {
      call();
    } catch (error) {
      caught = error;
    }
    expect(RobustfairError.isInstance(caught)).toBe(true);
  });

  it('throws when the sums do not cover every class', () => {
    const statistics = { epoch: 0, split: 'train', count: [4, 2, 1], sums: { 'robust-error': [1, 2] } } as const;
    expect(() => requireSignal(statistics, 'robust-error', 'demo')).toThrow(/sums have 2 entries but count has 3/);
  });
});

describe(classMeans, () => {
  it('divides each class sum by its count', () => {
    const statistics = createClassStatistics({ count: [4, 10, 5], sums: { 'robust-loss': [2, 3, 5] } });
    expect(classMeans(statistics, 'robust-loss', 'demo')).toEqual([2 / 4, 3 / 10, 5 / 5]);
  });

  it('gives a class without samples the unweighted mean of the other classes means', () => {
    // Means of the observed classes: 1/4 = 0.25 and 6/10 = 0.6; their mean is 0.425.
    const statistics = createClassStatistics({ count: [4, 0, 10], sums: { 'robust-error': [1, 0, 6] } });
    const means = classMeans(statistics, 'robust-error', 'demo');
    expect(means[0]).toBe(0.25);
    expect(means[1]).toBeCloseTo(0.425, 12);
    expect(means[2]).toBe(0.6);
  });

  it('throws when no class has samples', () => {
    const statistics = createClassStatistics({ count: [0, 0], sums: { 'robust-error': [0, 0] } });
    expect(() => classMeans(statistics, 'robust-error', 'demo')).toThrow(/no class has samples/);
  });
});
