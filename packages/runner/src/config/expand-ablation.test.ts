import { describe, expect, it } from 'vitest';
import { expandAblation, parseAxis } from './expand-ablation.js';

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
