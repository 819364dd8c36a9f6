import { createClassStatistics, describeFairnessStrategy } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { createCfaCcmStrategy } from './cfa-ccm-strategy.js';
import { classRegularisation, createCfaCcrStrategy } from './cfa-ccr-strategy.js';
import { cfaCcmPlugin, cfaCcrPlugin } from './cfa-plugins.js';

// With the reference's TRADES scale CCM writes weights 1/(1+β), not 1 (by design); its radii stay equal.
describeFairnessStrategy('cfa-ccm', () => createCfaCcmStrategy({ beginEpoch: 1 }), { neutralOnUniformStatistics: false });
describeFairnessStrategy('cfa-ccm (no scale)', () => createCfaCcmStrategy({ beginEpoch: 1, lossScale: 'none' }));
describeFairnessStrategy('cfa-ccr (trades scale)', () => createCfaCcrStrategy({ beginEpoch: 1, lossScale: 'trades' }));
// The reference scale writes 1/(1+β) for every class when classes are equal, not 1 (by design).
describeFairnessStrategy('cfa-ccr (cfa scale)', () => createCfaCcrStrategy({ beginEpoch: 1 }), { neutralOnUniformStatistics: false });

const epsilon = 8 / 255;
const context = { numClasses: 3, epsilon, epochs: 200 };

/** Training statistics with robust error rates r̄ over 20 samples per class. */
const robustErrors = (rates: readonly number[], epoch: number) =>
  createClassStatistics({ epoch, count: [20, 20, 20], means: { 'robust-error': rates } });

function expectVector(actual: readonly number[] | undefined, expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, classIndex) => expect(actual?.[classIndex]).toBeCloseTo(value, 12));
}

describe(createCfaCcmStrategy, () => {
  it('reads robust-error on the training split', () => {
    expect(createCfaCcmStrategy().requires).toEqual({ split: 'train', signals: ['robust-error'] });
  });

  it('uses the base ε before beginEpoch and ε_c = (λ1 + r_c)·ε from it on', () => {
    // Errors [0.5, 0.25, 0.75] → r = [0.5, 0.75, 0.25]; λ1 = 0.5 → ε_c = [1, 1.25, 0.75]·ε.
    const strategy = createCfaCcmStrategy({ lossScale: 'none' });
    const initial = strategy.init(context);
    expect(strategy.knobs(initial)).toEqual({ epsilon: [epsilon, epsilon, epsilon] });
    const afterEpoch8 = strategy.update(initial, robustErrors([0.5, 0.25, 0.75], 8)); // knobs for epoch 9 < 10
    expect(strategy.knobs(afterEpoch8)).toEqual({ epsilon: [epsilon, epsilon, epsilon] });
    const afterEpoch9 = strategy.update(afterEpoch8, robustErrors([0.5, 0.25, 0.75], 9)); // knobs for epoch 10
    expectVector(strategy.knobs(afterEpoch9).epsilon, [1 * epsilon, 1.25 * epsilon, 0.75 * epsilon]);
    expectVector(afterEpoch9.robustAccuracy ?? [], [0.5, 0.75, 0.25]);
  });

  it("alone with TRADES, scales the loss as the reference with CCR off: (1 − b)·CE + b·KL, b = β/(1 + β)", () => {
    // TRADES coefficients 1 and β = 6; the loop's 'mean' loss per sample is 1·a·CE + 6·a·KL with
    // a = naturalWeight = robustWeight. The reference's is (1/7)·CE + (6/7)·KL, so a = 1/7 for
    // every class, before and after beginEpoch. Check with CE = 2, KL = 0.5: 2/7 + 3/7 = 5/7.
    for (const options of [{}, { beta: 6 }] as const) {
      const strategy = createCfaCcmStrategy(options);
      const before = strategy.knobs(strategy.init(context));
      const after = strategy.knobs(strategy.update({ ...strategy.init(context), nextEpoch: 10 }, robustErrors([0.5, 0.25, 0.75], 9)));
      for (const knobs of [before, after]) {
        expectVector(knobs.naturalWeight, [1 / 7, 1 / 7, 1 / 7]);
        expectVector(knobs.robustWeight, [1 / 7, 1 / 7, 1 / 7]);
        const a = knobs.naturalWeight?.[0] ?? Number.NaN;
        expect(1 * a * 2 + 6 * a * 0.5).toBeCloseTo((1 - 6 / 7) * 2 + (6 / 7) * 0.5, 12);
      }
    }
    // β = 2: b = 2/3, weights 1/3.
    expectVector(createCfaCcmStrategy({ beta: 2 }).knobs(createCfaCcmStrategy({ beta: 2 }).init(context)).naturalWeight, [1 / 3, 1 / 3, 1 / 3]);
  });

  it('uses only the last epoch, not a running average', () => {
    const strategy = createCfaCcmStrategy({ lambda: 0.3, beginEpoch: 1 });
    const first = strategy.update(strategy.init(context), robustErrors([0, 0, 0], 0));
    const second = strategy.update(first, robustErrors([0.5, 0.9, 0.1], 1));
    // r = [0.5, 0.1, 0.9]; ε_c = (0.3 + r_c)·ε
    expectVector(strategy.knobs(second).epsilon, [0.8 * epsilon, 0.4 * epsilon, 1.2 * epsilon]);
  });

  it('divides by each class count (unbalanced classes)', () => {
    const strategy = createCfaCcmStrategy({ beginEpoch: 1 });
    const statistics = createClassStatistics({ epoch: 0, count: [10, 40, 20], sums: { 'robust-error': [5, 10, 15] } });
    // r = 1 − [0.5, 0.25, 0.75] = [0.5, 0.75, 0.25]
    expectVector(strategy.knobs(strategy.update(strategy.init(context), statistics)).epsilon, [epsilon, 1.25 * epsilon, 0.75 * epsilon]);
  });
});

describe(createCfaCcrStrategy, () => {
  // r = [0.5, 0.75, 0.25], λ2 = 0.5, β = 6: β'_c = (0.5 + r_c)·6 = [6, 7.5, 4.5]
  // b_c = β'/(1 + β') = [6/7, 7.5/8.5, 4.5/5.5]
  const b = [6 / 7, 7.5 / 8.5, 4.5 / 5.5];

  it('computes b_c = β\'_c/(1 + β\'_c)', () => {
    b.forEach((value, classIndex) => expect(classRegularisation(0.5, [0.5, 0.75, 0.25][classIndex]!, 6)).toBeCloseTo(value, 12));
  });

  it("'cfa' scale: weights (1 − b_c) and b_c/β, so with TRADES (1, β) the loss is (1 − b)·CE + b·KL", () => {
    const strategy = createCfaCcrStrategy();
    const initial = strategy.init(context);
    // Before beginEpoch: b = 6/7 → naturalWeight 1/7, robustWeight (6/7)/6 = 1/7 (TRADES / 7).
    expectVector(strategy.knobs(initial).naturalWeight, [1 / 7, 1 / 7, 1 / 7]);
    expectVector(strategy.knobs(initial).robustWeight, [1 / 7, 1 / 7, 1 / 7]);
    const state = strategy.update(initial, robustErrors([0.5, 0.25, 0.75], 9));
    const knobs = strategy.knobs(state);
    expectVector(knobs.naturalWeight, b.map((value) => 1 - value));
    expectVector(knobs.robustWeight, b.map((value) => value / 6));
    // One sample of class 1 with CE = 2, KL = 0.5: 1·w_nat·2 + 6·w_rob·0.5 = (1 − b)·2 + b·0.5.
    const loss = 1 * knobs.naturalWeight![1]! * 2 + 6 * knobs.robustWeight![1]! * 0.5;
    expect(loss).toBeCloseTo((1 - 7.5 / 8.5) * 2 + (7.5 / 8.5) * 0.5, 12);
  });

  it("'trades' scale: both weights × (1 + β), 1 before beginEpoch", () => {
    const strategy = createCfaCcrStrategy({ lossScale: 'trades' });
    const initial = strategy.knobs(strategy.init(context));
    expectVector(initial.naturalWeight, [1, 1, 1]);
    expectVector(initial.robustWeight, [1, 1, 1]);
    const knobs = strategy.knobs(strategy.update(strategy.init(context), robustErrors([0.5, 0.25, 0.75], 9)));
    // (1 + β)/(1 + β') and (β'/β)·(1 + β)/(1 + β'): class 1 → 7/8.5 and (7.5/6)·7/8.5
    expectVector(knobs.naturalWeight, [1, 7 / 8.5, 7 / 5.5]);
    expectVector(knobs.robustWeight, [1, (7.5 / 6) * (7 / 8.5), (4.5 / 6) * (7 / 5.5)]);
  });

  it('writes no ε', () => {
    const strategy = createCfaCcrStrategy();
    expect(strategy.knobs(strategy.init(context)).epsilon).toBeUndefined();
  });
});

describe('CFA plugins', () => {
  it('fill the code defaults', () => {
    expect(cfaCcmPlugin.optionsSchema.parse({})).toEqual({ lambda: 0.5, beginEpoch: 10, lossScale: 'cfa', beta: 6 });
    expect(cfaCcrPlugin.optionsSchema.parse({})).toEqual({ lambda: 0.5, beginEpoch: 10, beta: 6, lossScale: 'cfa' });
  });

  it('reject beginEpoch 0 (it reads the previous epoch)', () => {
    expect(cfaCcmPlugin.optionsSchema.safeParse({ beginEpoch: 0 }).success).toBe(false);
  });

  it('create the strategies', () => {
    expect(cfaCcmPlugin.create(cfaCcmPlugin.optionsSchema.parse({}), { seed: 0 }).id).toBe('cfa-ccm');
    expect(cfaCcrPlugin.create(cfaCcrPlugin.optionsSchema.parse({}), { seed: 0 }).id).toBe('cfa-ccr');
  });
});
