import { createClassStatistics, describeFairnessStrategy } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { watPlugin } from './wat-plugin.js';
import { createWatStrategy, hedgeWeights } from './wat-strategy.js';

// After an update with equal costs every class weighs w_c + w_C = 2C/(C+1), as in the reference.
describeFairnessStrategy('wat', () => createWatStrategy(), { neutralOnUniformStatistics: false });
describeFairnessStrategy('wat (trades cost)', () => createWatStrategy({ cost: 'trades' }), { neutralOnUniformStatistics: false });

const context = { numClasses: 3, epsilon: 8 / 255, epochs: 100 };
const validation = (means: readonly number[], epoch = 0) =>
  createClassStatistics({ epoch, split: 'validation', count: [10, 10, 10], means: { 'robust-ce': means } });

describe(createWatStrategy, () => {
  it('reads validation robust-ce (or the TRADES terms) and starts with every expert at 1', () => {
    expect(createWatStrategy().requires).toEqual({ split: 'validation', signals: ['robust-ce'] });
    expect(createWatStrategy({ cost: 'trades' }).requires.signals).toEqual(['natural-loss', 'robust-loss']);
    const strategy = createWatStrategy();
    const state = strategy.init(context);
    expect(state).toEqual({ cumulativeCost: [0, 0, 0, 0], weights: [1, 1, 1, 1] });
    expect(strategy.knobs(state)).toEqual({ naturalWeight: [2, 2, 2], robustWeight: [2, 2, 2] });
  });

  it('takes a Hedge step on the cumulative cost over C + 1 experts', () => {
    // Class costs [1, 2, 3], overall mean 2 → S = [1, 2, 3, 2]
    // w_j = 3·exp(0.1·S_j) / Σ_k exp(0.1·S_k); class weight = w_c + w_3
    const strategy = createWatStrategy();
    const state = strategy.update(strategy.init(context), validation([1, 2, 3]));
    const exponentials = [1, 2, 3, 2].map((total) => Math.exp(0.1 * total));
    const total = exponentials.reduce((sum, value) => sum + value, 0);
    const w = exponentials.map((value) => (3 * value) / total);
    expect(state.cumulativeCost).toEqual([1, 2, 3, 2]);
    w.forEach((value, expert) => expect(state.weights[expert]).toBeCloseTo(value, 12));
    const knobs = strategy.knobs(state);
    [0, 1, 2].forEach((classIndex) => {
      expect(knobs.naturalWeight?.[classIndex]).toBeCloseTo(w[classIndex]! + w[3]!, 12);
      expect(knobs.robustWeight?.[classIndex]).toBeCloseTo(w[classIndex]! + w[3]!, 12);
    });
  });

  it('accumulates costs over epochs; equal totals give every expert C/(C+1)', () => {
    // [1, 2, 3, 2] + [3, 2, 1, 2] = [4, 4, 4, 4] → w_j = 3/4 → class weight 1.5 = 2C/(C+1)
    const strategy = createWatStrategy();
    const state = strategy.update(strategy.update(strategy.init(context), validation([1, 2, 3], 0)), validation([3, 2, 1], 1));
    expect(state.cumulativeCost).toEqual([4, 4, 4, 4]);
    state.weights.forEach((weight) => expect(weight).toBeCloseTo(0.75, 12));
    strategy.knobs(state).naturalWeight?.forEach((weight) => expect(weight).toBeCloseTo(1.5, 12));
  });

  it("'trades' cost is mean CE + β·mean KL per class, and over all samples for the expected-loss expert", () => {
    // natural-loss means [0.5, 0.5, 1], robust-loss means [0.1, 0.2, 0.3], β = 6
    // class costs [1.1, 1.7, 2.8]; overall: 2/3 + 6·0.2 = 2/3 + 1.2
    const strategy = createWatStrategy({ cost: 'trades' });
    const statistics = createClassStatistics({
      split: 'validation',
      count: [10, 10, 10],
      means: { 'natural-loss': [0.5, 0.5, 1], 'robust-loss': [0.1, 0.2, 0.3] },
    });
    const { cumulativeCost } = strategy.update(strategy.init(context), statistics);
    [1.1, 1.7, 2.8, 2 / 3 + 1.2].forEach((value, expert) => expect(cumulativeCost[expert]).toBeCloseTo(value, 12));
  });

  it('weights the overall mean by counts', () => {
    // sums [10, 60, 30] over [10, 30, 10]: class means [1, 2, 3]; overall 100/50 = 2
    const strategy = createWatStrategy();
    const statistics = createClassStatistics({ split: 'validation', count: [10, 30, 10], sums: { 'robust-ce': [10, 60, 30] } });
    expect(strategy.update(strategy.init(context), statistics).cumulativeCost).toEqual([1, 2, 3, 2]);
  });

  it('stays finite for large cumulative costs', () => {
    const weights = hedgeWeights([10000, 10000, 9990], 0.1, 2);
    expect(weights[0]).toBeCloseTo(2 / (2 + Math.exp(-1)), 12);
  });
});

describe('watPlugin', () => {
  it('fills the code defaults', () => {
    expect(watPlugin.optionsSchema.parse({})).toEqual({ learningRate: 0.1, cost: 'robust-ce', beta: 6 });
    expect(watPlugin.create(watPlugin.optionsSchema.parse({}), { seed: 0 }).id).toBe('wat');
  });
});
