import { createClassStatistics, describeFairnessStrategy } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { frlRemarginPlugin, frlReweightPlugin, frlReweightRemarginPlugin } from './frl-plugins.js';
import { createFrlStrategy, frlStepSize, normaliseMultipliers, type FrlState } from './frl-strategy.js';

describeFairnessStrategy('frl-reweight', () => createFrlStrategy('reweight'));
describeFairnessStrategy('frl-remargin', () => createFrlStrategy('remargin'));
describeFairnessStrategy('frl-reweight-remargin', () => createFrlStrategy('reweight-remargin'));

const epsilon = 8 / 255;
const context = { numClasses: 3, epsilon, epochs: 40 };

/** Validation statistics from error counts out of 10 samples per class. */
const errors = (natural: readonly number[], robust: readonly number[], epoch = 0) =>
  createClassStatistics({ epoch, split: 'validation', count: [10, 10, 10], sums: { 'natural-error': natural, 'robust-error': robust } });

function expectVector(actual: readonly number[] | undefined, expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, classIndex) => expect(actual?.[classIndex]).toBeCloseTo(value, 12));
}

describe(createFrlStrategy, () => {
  it('reads clean and robust error on the validation split, under PGD-20 at a fixed 8/255, also before training', () => {
    for (const variant of ['reweight', 'remargin', 'reweight-remargin'] as const) {
      expect(createFrlStrategy(variant).requires).toEqual({
        split: 'validation',
        signals: ['natural-error', 'robust-error'],
        validation: { epsilon: 8 / 255, attack: { preset: 'pgd20' }, beforeTraining: true },
      });
      expect(createFrlStrategy(variant).id).toBe(`frl-${variant}`);
    }
  });

  it("validates with the training attack at the class-wise ε only when asked ('training', 'per-class')", () => {
    const strategy = createFrlStrategy('reweight-remargin', { validationAttack: 'training', validationEpsilon: 'per-class', updateBeforeTraining: false });
    expect(strategy.requires.validation).toEqual({ beforeTraining: false });
    const custom = createFrlStrategy('reweight', { validationAttack: { preset: 'pgd20', overrides: { steps: 10 } }, validationEpsilon: '4/255' });
    expect(custom.requires.validation).toEqual({ epsilon: 4 / 255, attack: { preset: 'pgd20', overrides: { steps: 10 } }, beforeTraining: true });
  });

  it('the update before training (epoch −1) uses α1 of the reference epoch t = 1', () => {
    // Same statistics as the reweight example below; t = 1 → α1 = 0.05 (no halving), as for epoch 0.
    expect(frlStepSize(-1, 0.05, 40)).toBe(0.05);
    expect(frlStepSize(-1, 0.05, 1)).toBe(0.025); // period 1 halves at t = 1 already
  });

  it('starts with zero multipliers: weights 1, base ε, weight-normalised reduction', () => {
    const reweight = createFrlStrategy('reweight');
    expect(reweight.init(context)).toEqual({ natural: [0, 0, 0], boundary: [0, 0, 0], margin: [0, 0, 0], epsilon });
    expect(reweight.knobs(reweight.init(context))).toEqual({ naturalWeight: [1, 1, 1], robustWeight: [1, 1, 1], reduction: 'weight-normalised' });
    const remargin = createFrlStrategy('remargin');
    expect(remargin.knobs(remargin.init(context))).toEqual({
      naturalWeight: [1, 1, 1],
      epsilon: [epsilon, epsilon, epsilon],
      reduction: 'joint-weight-normalised',
    });
  });

  it("frl-remargin reduces with ONE joint denominator, as the reference's Σ(w0·CE + β·KL/C) / Σ(w0 + 1/C)", () => {
    // λ0 = [0, 0, 0.01] (see the reweight example): w0 = 1/3 + λ0 − Σλ0/3 = [0.33, 0.33, 0.34].
    // Batch labels [0, 1, 2, 2], CE = [1, 2, 3, 4], KL = [0.5, 0.25, 1, 2], β = 1, C = 3.
    // Reference: Σ(w0·CE + KL/3) / Σ(w0 + 1/3)
    //   numerator   = 0.33·1 + 0.33·2 + 0.34·3 + 0.34·4 + (0.5 + 0.25 + 1 + 2)/3 = 3.37 + 1.25 = 4.62
    //   denominator = 0.33 + 0.33 + 0.34 + 0.34 + 4/3 = 1.34 + 4/3
    // The loop's joint reduction with the knobs: Σ(a·CE + β·b·KL) / Σ(a + b), a = naturalWeight[y], b = robustWeight[y] (absent = 1).
    const strategy = createFrlStrategy('remargin');
    const state: FrlState = { natural: [0, 0, 0.01], boundary: [0, 0, 0], margin: [0, 0, 0], epsilon };
    const knobs = strategy.knobs(state);
    expect(knobs.reduction).toBe('joint-weight-normalised');
    const labels = [0, 1, 2, 2];
    const ce = [1, 2, 3, 4];
    const kl = [0.5, 0.25, 1, 2];
    const a = labels.map((label) => knobs.naturalWeight?.[label] ?? 1);
    const b = labels.map((label) => knobs.robustWeight?.[label] ?? 1);
    const loop = labels.reduce((total, _label, i) => total + a[i]! * ce[i]! + b[i]! * kl[i]!, 0) / (a.reduce((x, y) => x + y) + b.reduce((x, y) => x + y));
    expect(loop).toBeCloseTo(4.62 / (1.34 + 4 / 3), 12);
  });

  describe('frl-reweight', () => {
    it('steps λ0 on the clean-error violation and turns it into weights', () => {
      // E_c = [0.1, 0.2, 0.6], E = 9/30 = 0.3; R_c = [0.4, 0.5, 0.9], R = 18/30 = 0.6
      // B_c = R_c − E_c = [0.3, 0.3, 0.3], B = 0.3
      // γ0 = E_c − E − 0.1 = [−0.3, −0.2, 0.2];  γ1 = 0 − 0.1 = [−0.1, −0.1, −0.1]
      // epoch 0 → t = 2, α1 = 0.05: λ0 = N([−0.015, −0.01, 0.01]) = [0, 0, 0.01] (sum 0.01 ≤ 0.5)
      //                             λ1 = N(2·0.05·γ1) = N([−0.01, …]) = [0, 0, 0]
      // naturalWeight = 1 + 3·λ0 − Σλ0 = [0.99, 0.99, 1.02]; robustWeight = [1, 1, 1]
      const strategy = createFrlStrategy('reweight');
      const state = strategy.update(strategy.init(context), errors([1, 2, 6], [4, 5, 9]));
      expectVector(state.natural, [0, 0, 0.01]);
      expectVector(state.boundary, [0, 0, 0]);
      expect(state.margin).toEqual([0, 0, 0]);
      const knobs = strategy.knobs(state);
      expectVector(knobs.naturalWeight, [0.99, 0.99, 1.02]);
      expectVector(knobs.robustWeight, [1, 1, 1]);
      expect(knobs.epsilon).toBeUndefined();
      expect(knobs.reduction).toBe('weight-normalised');
    });

    it('normalises the multipliers to sum lim and halves α1 from reference epoch 40', () => {
      // Epoch 38 → t = 40 → α1 = 0.05 / 2 = 0.025. Same statistics: γ0 = [−0.3, −0.2, 0.2].
      // λ0 = [0.2, 0.1, 0.3] + 0.025·γ0 = [0.1925, 0.095, 0.305], sum 0.5925 > 0.5
      //   → × 0.5/0.5925. naturalWeight_c = 1 + 3·λ0_c − 0.5.
      const strategy = createFrlStrategy('reweight');
      const start: FrlState = { natural: [0.2, 0.1, 0.3], boundary: [0, 0, 0], margin: [0, 0, 0], epsilon };
      const state = strategy.update(start, errors([1, 2, 6], [4, 5, 9], 38));
      const scale = 0.5 / 0.5925;
      const expected = [0.1925 * scale, 0.095 * scale, 0.305 * scale];
      expectVector(state.natural, expected);
      expectVector(strategy.knobs(state).naturalWeight, expected.map((value) => 1 + 3 * value - 0.5));
    });
  });

  describe('frl-reweight-remargin', () => {
    // E_c = [0.1, 0.1, 0.1] = E → γ0 = −0.07 → λ0 = 0.
    // R_c = [0.2, 0.4, 0.9], R = 15/30 = 0.5 → B_c = [0.1, 0.3, 0.8], B = 0.4
    // γ1 = B_c − B − 0.07 = [−0.37, −0.17, 0.33]
    // λ1 = N(2·0.05·γ1) = [0, 0, 0.033];  λ2 = 0.2·γ1 = [−0.074, −0.034, 0.066]
    const statistics = errors([1, 1, 1], [2, 4, 9]);

    it('reweights the robust term and scales each class radius', () => {
      const strategy = createFrlStrategy('reweight-remargin');
      const state = strategy.update(strategy.init(context), statistics);
      expectVector(state.natural, [0, 0, 0]);
      expectVector(state.boundary, [0, 0, 0.033]);
      expectVector(state.margin, [-0.074, -0.034, 0.066]);
      const knobs = strategy.knobs(state);
      expectVector(knobs.naturalWeight, [1, 1, 1]);
      expectVector(knobs.robustWeight, [1 - 0.033, 1 - 0.033, 1 + 3 * 0.033 - 0.033]);
      // exp(−0.148) ≈ 0.862 and exp(−0.068) ≈ 0.934 clip to 0.98; exp(0.132) ≈ 1.141 is inside [0.98, 3].
      expectVector(knobs.epsilon, [0.98 * epsilon, 0.98 * epsilon, Math.exp(0.132) * epsilon]);
      expect(knobs.reduction).toBe('weight-normalised');
    });

    it('clips the ε multiplier at M = 3 and does not clip or normalise λ2', () => {
      const strategy = createFrlStrategy('reweight-remargin');
      const start: FrlState = { natural: [0, 0, 0], boundary: [0, 0, 0], margin: [1, 0, -2], epsilon };
      const state = strategy.update(start, statistics);
      expectVector(state.margin, [1 - 0.074, -0.034, -2 + 0.066]);
      expectVector(strategy.knobs(start).epsilon, [3 * epsilon, epsilon, 0.98 * epsilon]);
    });
  });

  describe('frl-remargin', () => {
    it('reweights only the clean term and never moves λ1 (α2 = 0.1, lim 0.3)', () => {
      // Same statistics as above with τ = 0.1: γ0 = −0.1 → λ0 = 0; γ1 = B_c − B − 0.1 = [−0.4, −0.2, 0.3]
      // λ2 = 0.1·γ1 = [−0.04, −0.02, 0.03]; ε multipliers: clip(exp(2λ2), 0.98, 2.5)
      //   = [0.98 (exp(−0.08) ≈ 0.923), exp(−0.04) ≈ 0.9608 → 0.98, exp(0.06)]
      const strategy = createFrlStrategy('remargin');
      const state = strategy.update(strategy.init(context), errors([1, 1, 1], [2, 4, 9]));
      expectVector(state.boundary, [0, 0, 0]);
      expectVector(state.margin, [-0.04, -0.02, 0.03]);
      const knobs = strategy.knobs(state);
      expect(knobs.robustWeight).toBeUndefined();
      expectVector(knobs.naturalWeight, [1, 1, 1]);
      expectVector(knobs.epsilon, [0.98 * epsilon, 0.98 * epsilon, Math.exp(0.06) * epsilon]);
    });
  });

  it('rejects training-split statistics', () => {
    const strategy = createFrlStrategy('reweight');
    const statistics = createClassStatistics({ count: [10, 10, 10], sums: { 'natural-error': [1, 1, 1], 'robust-error': [2, 2, 2] } });
    expect(() => strategy.update(strategy.init(context), statistics)).toThrow(/reads the validation split/);
  });

  it('rejects margin options on frl-reweight', () => {
    expect(() => createFrlStrategy('reweight', { marginStepSize: 0.1 } as never)).toThrow(/unknown field\(s\) 'marginStepSize'/);
  });
});

describe(normaliseMultipliers, () => {
  it('clips at 0 and scales to sum lim when above it', () => {
    // [0.3, −0.2, 0.5] → [0.3, 0, 0.5], sum 0.8 > 0.5 → × 0.5/0.8 = [0.1875, 0, 0.3125]
    expectVector(normaliseMultipliers([0.3, -0.2, 0.5], 0.5), [0.1875, 0, 0.3125]);
    expectVector(normaliseMultipliers([0.1, -0.2, 0.2], 0.5), [0.1, 0, 0.2]);
  });
});

describe(frlStepSize, () => {
  it.each([
    [0, 0.05],
    [37, 0.05],
    [38, 0.025],
    [77, 0.025],
    [78, 0.0125],
  ])('after epoch %i α1 is %f', (epoch, step) => {
    expect(frlStepSize(epoch, 0.05, 40)).toBeCloseTo(step, 15);
  });
});

describe('FRL plugins', () => {
  it('fill each variant with its reference defaults', () => {
    expect(frlReweightPlugin.optionsSchema.parse({})).toEqual({
      naturalErrorTolerance: 0.1,
      boundaryErrorTolerance: 0.1,
      multiplierStepSize: 0.05,
      multiplierLimit: 0.5,
      stepHalvingPeriod: 40,
      validationAttack: { preset: 'pgd20' },
      validationEpsilon: 8 / 255,
      updateBeforeTraining: true,
    });
    expect(frlRemarginPlugin.optionsSchema.parse({})).toMatchObject({ multiplierLimit: 0.3, marginStepSize: 0.1, marginRange: [0.98, 2.5] });
    expect(frlReweightRemarginPlugin.optionsSchema.parse({})).toMatchObject({
      naturalErrorTolerance: 0.07,
      boundaryErrorTolerance: 0.07,
      marginStepSize: 0.2,
      marginRange: [0.98, 3],
    });
  });

  it('create the strategies', () => {
    expect(frlReweightPlugin.create(frlReweightPlugin.optionsSchema.parse({}), { seed: 0 }).id).toBe('frl-reweight');
    expect(frlRemarginPlugin.create(frlRemarginPlugin.optionsSchema.parse({}), { seed: 0 }).id).toBe('frl-remargin');
    expect(frlReweightRemarginPlugin.create(frlReweightRemarginPlugin.optionsSchema.parse({}), { seed: 0 }).id).toBe('frl-reweight-remargin');
  });
});
