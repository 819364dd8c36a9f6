import { createClassStatistics, describeFairnessStrategy } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { fairArdPlugin } from './fair-ard-plugin.js';
import { createFairArdStrategy } from './fair-ard-strategy.js';

describeFairnessStrategy('fair-ard', () => createFairArdStrategy());

const context = { numClasses: 3, epsilon: 8 / 255, epochs: 200 };
const kappa = (means: readonly number[], count = [10, 10, 10]) => createClassStatistics({ count, means: { kappa: means } });

describe(createFairArdStrategy, () => {
  it('reads kappa on the training split and starts at weight 1', () => {
    const strategy = createFairArdStrategy();
    expect(strategy.requires).toEqual({ split: 'train', signals: ['kappa'] });
    expect(strategy.knobs(strategy.init(context))).toEqual({ naturalWeight: [1, 1, 1], robustWeight: [1, 1, 1] });
  });

  it('weights (1/(κ̄ + 1e-5))^β, rescaled to sum C, then clipped to [5/6, 5/2]', () => {
    // κ̄ = [2, 4, 8], β = 2: u = 1/(κ̄ + 1e-5)² ≈ [1/4, 1/16, 1/64] = [16, 4, 1]/64
    // 3u/Σu ≈ [48/21, 12/21, 3/21] = [2.286, 0.571, 0.143] → clip → [48/21, 5/6, 5/6]
    const strategy = createFairArdStrategy();
    const u = [2, 4, 8].map((k) => (1 / (k + 1e-5)) ** 2);
    const total = u[0]! + u[1]! + u[2]!;
    const state = strategy.update(strategy.init(context), kappa([2, 4, 8]));
    expect(state.weights[0]).toBeCloseTo((3 * u[0]!) / total, 12);
    expect(state.weights[0]).toBeCloseTo(48 / 21, 4);
    expect(state.weights[1]).toBe(5 / 6);
    expect(state.weights[2]).toBe(5 / 6);
    expect(strategy.knobs(state)).toEqual({ naturalWeight: state.weights, robustWeight: state.weights });
  });

  it('without a clip binding, the weights sum to C', () => {
    // κ̄ = [4, 4, 2], β = 1, offset ≈ 0: u = [1/4, 1/4, 1/2] → 3u/Σu = [0.75, 0.75, 1.5]
    const strategy = createFairArdStrategy({ power: 1, kappaOffset: 1e-12, weightRange: [0.1, 10] });
    const { weights } = strategy.update(strategy.init(context), kappa([4, 4, 2]));
    [0.75, 0.75, 1.5].forEach((value, classIndex) => expect(weights[classIndex]).toBeCloseTo(value, 9));
  });

  it('averages κ per class with its own count', () => {
    // sums [20, 80, 20] over counts [10, 20, 10] → κ̄ = [2, 4, 2], β = 1 → u ∝ [2, 1, 2] → [1.2, 0.6, 1.2]
    const strategy = createFairArdStrategy({ power: 1, kappaOffset: 1e-12, weightRange: [0.1, 10] });
    const statistics = createClassStatistics({ count: [10, 20, 10], sums: { kappa: [20, 80, 20] } });
    const { weights } = strategy.update(strategy.init(context), statistics);
    [1.2, 0.6, 1.2].forEach((value, classIndex) => expect(weights[classIndex]).toBeCloseTo(value, 9));
  });

  it('keeps a class with κ̄ = 0 finite (offset) and clips it', () => {
    const strategy = createFairArdStrategy();
    const { weights } = strategy.update(strategy.init(context), kappa([0, 5, 5]));
    expect(weights).toEqual([5 / 2, 5 / 6, 5 / 6]);
  });
});

describe('fairArdPlugin', () => {
  it('fills the README defaults and rejects a zero offset', () => {
    expect(fairArdPlugin.optionsSchema.parse({})).toEqual({ power: 2, kappaOffset: 1e-5, weightRange: [5 / 6, 5 / 2] });
    expect(fairArdPlugin.optionsSchema.safeParse({ kappaOffset: 0 }).success).toBe(false);
    expect(fairArdPlugin.create(fairArdPlugin.optionsSchema.parse({}), { seed: 0 }).id).toBe('fair-ard');
  });
});
