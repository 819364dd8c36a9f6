import { describe, expect, it } from 'vitest';
import { ablate } from './ablate.js';
import { crossComparison, expandAblation, parseAxis } from './expand-ablation.js';

describe(expandAblation, () => {
  it('makes the cartesian product with one label and one set per arm', () => {
    const comparison = expandAblation([parseAxis('fairness.id=identity,class-reweight,absld'), parseAxis('seed=0,1')]);
    expect(comparison.arms.map((arm) => arm.label)).toEqual([
      'identity-seed0',
      'identity-seed1',
      'class-reweight-seed0',
      'class-reweight-seed1',
      'absld-seed0',
      'absld-seed1',
    ]);
    expect(comparison.arms[3]!.set).toEqual({ 'fairness.id': 'class-reweight', seed: 1 });
  });

  it('reads JSON values and arrays', () => {
    expect(parseAxis('training.epochs=5,10').values).toEqual([5, 10]);
    expect(parseAxis('fairness=[{"id":"identity"},{"id":"wat"}]').values).toEqual([{ id: 'identity' }, { id: 'wat' }]);
    expect(() => parseAxis('nonsense')).toThrow(/expected field=value1,value2/);
  });
});

describe(crossComparison, () => {
  const base = {
    dataset: { id: 'synthetic' },
    model: { id: 'small-cnn' },
    training: { epochs: 1 },
  };

  it("keeps a config's method arms and runs each at every seed (issue 14: ablate --seeds dropped them)", () => {
    const comparison = crossComparison(
      {
        arms: [
          { label: 'sat', set: { 'objective.id': 'sat' } },
          { label: 'trades', set: { objective: { id: 'trades', options: { beta: 6 } } } },
        ],
      },
      [parseAxis('seed=0,2')],
    );
    expect(comparison.arms.map((arm) => arm.label)).toEqual(['sat-seed0', 'sat-seed2', 'trades-seed0', 'trades-seed2']);
    const arms = ablate(base, comparison);
    expect(arms.map((arm) => [arm.spec.objective.id, arm.spec.seed])).toEqual([
      ['sat', 0],
      ['sat', 2],
      ['trades', 0],
      ['trades', 2],
    ]);
  });

  it('turns a field comparison into sets and crosses it with several axes', () => {
    const comparison = crossComparison({ field: 'fairness', arms: [{ value: { id: 'identity' } }, { value: { id: 'absld' } }] }, [
      parseAxis('training.epochs=1,2'),
      parseAxis('seed=5'),
    ]);
    expect(comparison.arms.map((arm) => arm.label)).toEqual(['identity-1-seed5', 'identity-2-seed5', 'absld-1-seed5', 'absld-2-seed5']);
    expect(comparison.arms[3]!.set).toEqual({ fairness: { id: 'absld' }, 'training.epochs': 2, seed: 5 });
  });

  it('refuses an axis over a field the compare arms already set', () => {
    const comparison = { field: 'fairness', arms: [{ value: { id: 'identity' } }, { value: { id: 'absld' } }] };
    expect(() => crossComparison(comparison, [parseAxis('fairness.id=wat')])).toThrow(/the axis 'fairness.id' changes 'fairness', which the config's compare arms set/);
  });

  it('without a compare block is the plain product of the axes', () => {
    expect(crossComparison(undefined, [parseAxis('seed=0,1')])).toEqual(expandAblation([parseAxis('seed=0,1')]));
  });
});

describe('ablate with command-line overrides', () => {
  const base = { dataset: { id: 'synthetic' }, model: { id: 'small-cnn' }, training: { epochs: 3 } };

  it("applies --set after each arm's own set, so it reaches fields an arm sets (issue 14)", () => {
    const comparison = {
      arms: [
        { label: 'long', set: { 'training.epochs': 9, 'evaluation.attacks': ['fgsm', 'aa'] } },
        { label: 'plain', set: { seed: 4 } },
      ],
    };
    const arms = ablate(base, comparison, ['evaluation.attacks=["fgsm"]', 'training.batchSize=16']);
    expect(arms.map((arm) => [arm.spec.training.epochs, arm.spec.training.batchSize, arm.spec.evaluation.attacks])).toEqual([
      [9, 16, ['fgsm']],
      [3, 16, ['fgsm']],
    ]);
    expect(arms[1]!.spec.seed).toBe(4);
  });
});
