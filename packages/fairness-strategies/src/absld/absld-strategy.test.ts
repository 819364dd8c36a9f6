import { InvalidOptionsError } from '@robustfair/spec';
import { createClassStatistics, describeFairnessStrategy } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { absldPlugin } from './absld-plugin.js';
import { absldRate, createAbsldStrategy, type AbsldState } from './absld-strategy.js';

describeFairnessStrategy('absld', () => createAbsldStrategy());
describeFairnessStrategy('absld (product coupling)', () => createAbsldStrategy({ temperatureCoupling: 'product' }));
// Manual temperatures are fixed vectors, not derived from statistics: not equal across classes.
describeFairnessStrategy('absld (manual)', () => createAbsldStrategy({ mode: 'manual', manualTemperatures: [0.8, 1, 1.5] }), {
  numClasses: [3],
  equalOnUniformStatistics: false,
});

const context = { numClasses: 3, epsilon: 8 / 255, epochs: 300, learningRateMilestones: [215, 260, 285] };

const crossEntropy = (robust: readonly number[], natural: readonly number[], epoch = 0, count = [10, 10, 10]) =>
  createClassStatistics({ epoch, count, sums: { 'robust-ce': robust, 'natural-ce': natural } });

function expectVector(actual: readonly number[] | undefined, expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, classIndex) => expect(actual?.[classIndex]).toBeCloseTo(value, 12));
}

describe(createAbsldStrategy, () => {
  it('reads the summed hard-label CE on the training split, none in manual mode', () => {
    expect(createAbsldStrategy().requires).toEqual({ split: 'train', signals: ['natural-ce', 'robust-ce'] });
    expect(createAbsldStrategy({ mode: 'manual', manualTemperatures: [1, 2] }).requires.signals).toEqual([]);
  });

  it('starts every class at initialTemperature in both vectors', () => {
    const strategy = createAbsldStrategy({ initialTemperature: 2 });
    const state = strategy.init(context);
    expect(state).toEqual({ natural: [2, 2, 2], adversarial: [2, 2, 2], rateDecayEpochs: [215, 260, 285] });
    expect(strategy.knobs(state)).toEqual({ temperature: { natural: [2, 2, 2], adversarial: [2, 2, 2] } });
  });

  it('steps each vector against its own risk gap, normalised by the largest |gap|', () => {
    // robust-ce sums [10, 20, 60]: mean 30, gaps [−20, −10, 30], max 30, rate 0.1
    //   T_adv = 1 − 0.1·gap/30 = [1 + 0.2/3, 1 + 0.1/3, 0.9]
    // natural-ce sums [6, 3, 3]: mean 4, gaps [2, −1, −1], max 2
    //   T_nat = 1 − 0.1·gap/2 = [0.9, 1.05, 1.05]
    const strategy = createAbsldStrategy();
    const state = strategy.update(strategy.init(context), crossEntropy([10, 20, 60], [6, 3, 3]));
    expectVector(state.adversarial, [1 + 0.2 / 3, 1 + 0.1 / 3, 0.9]);
    expectVector(state.natural, [0.9, 1.05, 1.05]);
    const knobs = strategy.knobs(state);
    expectVector(knobs.temperature?.adversarial, [1 + 0.2 / 3, 1 + 0.1 / 3, 0.9]);
    expectVector(knobs.temperature?.natural, [0.9, 1.05, 1.05]);
    expect(knobs.epsilon).toBeUndefined();
    expect(knobs.robustWeight).toBeUndefined();
  });

  it('clamps to the range after the step', () => {
    // Gaps [30, −30, 0] / 30 = [1, −1, 0]: 0.55 − 0.1 = 0.45 → 0.5; 4.95 + 0.1 = 5.05 → 5; 1 stays.
    const strategy = createAbsldStrategy();
    const start: AbsldState = { natural: [1, 1, 1], adversarial: [0.55, 4.95, 1], rateDecayEpochs: [] };
    const state = strategy.update(start, crossEntropy([60, 0, 30], [1, 1, 1]));
    expectVector(state.adversarial, [0.5, 5, 1]);
    expectVector(state.natural, [1, 1, 1]);
  });

  it('leaves the temperatures unchanged when every class has the same risk (max |gap| = 0)', () => {
    const strategy = createAbsldStrategy();
    const start: AbsldState = { natural: [0.7, 1, 2], adversarial: [1, 3, 0.5], rateDecayEpochs: [] };
    expect(strategy.update(start, crossEntropy([5, 5, 5], [2, 2, 2]))).toEqual(start);
  });

  describe('rate decay with the learning rate (milestones [215, 260, 285], factor 0.1)', () => {
    it.each([
      [0, 0.1],
      [213, 0.1],
      [214, 0.01], // the update after 0-based epoch 214 (1-based 215) already uses the decayed rate
      [258, 0.01],
      [259, 0.001],
      [283, 0.001],
      [284, 0.0001],
      [299, 0.0001],
    ])('after epoch %i the rate is %f', (epoch, rate) => {
      expect(absldRate(epoch, 0.1, [215, 260, 285], 0.1)).toBeCloseTo(rate, 15);
    });

    it('uses the decayed rate in the update', () => {
      // After epoch 214 the rate is 0.01: robust gaps [−20, −10, 30]/30 → T_adv = 1 − 0.01·gap/30.
      const strategy = createAbsldStrategy();
      const state = strategy.update(strategy.init(context), crossEntropy([10, 20, 60], [6, 3, 3], 214));
      expectVector(state.adversarial, [1 + 0.02 / 3, 1 + 0.01 / 3, 0.99]);
      expectVector(state.natural, [0.99, 1.005, 1.005]);
    });

    // Robust gaps [−20, −10, 30]/30 with rate r: T_adv = 1 − r·gap/30 = [1 + 2r/3, 1 + r/3, 1 − r].
    const afterGaps = (rate: number) => [1 + (2 * rate) / 3, 1 + rate / 3, 1 - rate];

    it("follows the run's own learning-rate milestones by default (a 30-epoch run decays at 20, 25)", () => {
      const strategy = createAbsldStrategy();
      const state = strategy.init({ ...context, epochs: 30, learningRateMilestones: [20, 25] });
      expect(state.rateDecayEpochs).toEqual([20, 25]);
      // After 0-based epoch 19 the next epoch's lr is decayed once: rate 0.01; after 24, twice.
      expectVector(strategy.update(state, crossEntropy([10, 20, 60], [6, 3, 3], 18)).adversarial, afterGaps(0.1));
      expectVector(strategy.update(state, crossEntropy([10, 20, 60], [6, 3, 3], 19)).adversarial, afterGaps(0.01));
      expectVector(strategy.update(state, crossEntropy([10, 20, 60], [6, 3, 3], 24)).adversarial, afterGaps(0.001));
    });

    it('never decays under a schedule without milestones (constant, cosine)', () => {
      const strategy = createAbsldStrategy();
      const state = strategy.init({ ...context, learningRateMilestones: [] });
      expectVector(strategy.update(state, crossEntropy([10, 20, 60], [6, 3, 3], 299)).adversarial, afterGaps(0.1));
      const unspecified = strategy.init({ numClasses: 3, epsilon: 8 / 255, epochs: 300 });
      expect(unspecified.rateDecayEpochs).toEqual([]);
    });

    it('explicit rateDecayEpochs win over the schedule', () => {
      const strategy = createAbsldStrategy({ rateDecayEpochs: [5] });
      const state = strategy.init({ ...context, learningRateMilestones: [20, 25] });
      expect(state.rateDecayEpochs).toEqual([5]);
      expectVector(strategy.update(state, crossEntropy([10, 20, 60], [6, 3, 3], 4)).adversarial, afterGaps(0.01));
      expectVector(strategy.update(state, crossEntropy([10, 20, 60], [6, 3, 3], 19)).adversarial, afterGaps(0.01));
    });

    it('follows custom milestones and factor', () => {
      expect(absldRate(3, 0.2, [4], 0.5)).toBeCloseTo(0.1, 15);
      expect(absldRate(2, 0.2, [4], 0.5)).toBeCloseTo(0.2, 15);
    });
  });

  it("'product' coupling gives both soft labels T_adv·T_nat, and still updates the vectors separately", () => {
    // Same statistics as the separate case: T_adv = [1 + 0.2/3, 1 + 0.1/3, 0.9], T_nat = [0.9, 1.05, 1.05].
    const strategy = createAbsldStrategy({ temperatureCoupling: 'product' });
    const state = strategy.update(strategy.init(context), crossEntropy([10, 20, 60], [6, 3, 3]));
    expectVector(state.adversarial, [1 + 0.2 / 3, 1 + 0.1 / 3, 0.9]);
    expectVector(state.natural, [0.9, 1.05, 1.05]);
    const product = [(1 + 0.2 / 3) * 0.9, (1 + 0.1 / 3) * 1.05, 0.9 * 1.05];
    const knobs = strategy.knobs(state);
    expectVector(knobs.temperature?.adversarial, product);
    expectVector(knobs.temperature?.natural, product);
  });

  it("'product' coupling reaches the effective range [0.25, 25]", () => {
    const strategy = createAbsldStrategy({ temperatureCoupling: 'product' });
    expect(strategy.knobs({ natural: [0.5, 5, 1], adversarial: [0.5, 5, 2], rateDecayEpochs: [] }).temperature).toEqual({
      natural: [0.25, 25, 2],
      adversarial: [0.25, 25, 2],
    });
  });

  it("'manual' mode keeps the given vector for both soft labels and ignores statistics", () => {
    const strategy = createAbsldStrategy({ mode: 'manual', manualTemperatures: [0.8, 1, 1.5], temperatureCoupling: 'product' });
    const state = strategy.init(context);
    const updated = strategy.update(state, crossEntropy([10, 20, 60], [6, 3, 3]));
    expect(updated).toEqual(state);
    expect(strategy.knobs(updated)).toEqual({ temperature: { natural: [0.8, 1, 1.5], adversarial: [0.8, 1, 1.5] } });
  });

  it("'manual' mode rejects a vector of the wrong length at init", () => {
    const strategy = createAbsldStrategy({ mode: 'manual', manualTemperatures: [1, 2] });
    expect(() => strategy.init(context)).toThrow(/manualTemperatures has 2 entries but the dataset has 3 classes/);
  });

  it('uses sums by default and class means with classLoss: mean (they differ for unbalanced classes)', () => {
    // count [10, 20, 10], robust-ce sums [10, 20, 30].
    // sum:  mean 20, gaps [−10, 0, 10], max 10 → [1.1, 1, 0.9].
    // mean: means [1, 1, 3], average 5/3, gaps [−2/3, −2/3, 4/3], max 4/3 → [1.05, 1.05, 0.9].
    const statistics = crossEntropy([10, 20, 30], [1, 2, 1], 0, [10, 20, 10]);
    const bySum = createAbsldStrategy();
    expectVector(bySum.update(bySum.init(context), statistics).adversarial, [1.1, 1, 0.9]);
    const byMean = createAbsldStrategy({ classLoss: 'mean' });
    expectVector(byMean.update(byMean.init(context), statistics).adversarial, [1.05, 1.05, 0.9]);
  });

  it('throws naming the strategy when robust-ce is missing', () => {
    const strategy = createAbsldStrategy();
    const statistics = createClassStatistics({ count: [1, 1, 1], sums: { 'natural-ce': [1, 2, 3] } });
    expect(() => strategy.update(strategy.init(context), statistics)).toThrow(/'absld' needs signal 'robust-ce'/);
  });

  describe('options', () => {
    it.each([
      [{ range: [5, 0.5] }, /range: range must be \[min, max\]/],
      [{ initialTemperature: 6 }, /initialTemperature: initialTemperature must lie inside range/],
      [{ mode: 'manual' }, /manualTemperatures: mode 'manual' needs manualTemperatures/],
      [{ manualTemperatures: [1, 1] }, /manualTemperatures is only used with mode 'manual'/],
      [{ temperatureCoupling: 'alias' }, /temperatureCoupling/],
      [{ temperature: 1 }, /unknown field\(s\) 'temperature'/],
    ])('rejects %o', (raw, message) => {
      const call = () => createAbsldStrategy(raw as never);
      expect(call).toThrow(InvalidOptionsError);
      expect(call).toThrow(message);
    });
  });
});

describe('absldPlugin', () => {
  it('fills the official code defaults', () => {
    expect(absldPlugin.optionsSchema.parse({})).toEqual({
      learningRate: 0.1,
      range: [0.5, 5],
      initialTemperature: 1,
      rateDecayEpochs: 'schedule',
      rateDecayFactor: 0.1,
      temperatureCoupling: 'separate',
      mode: 'adaptive',
      classLoss: 'sum',
    });
    expect(absldPlugin.reference?.year).toBe(2024);
  });

  it('creates the strategy', () => {
    expect(absldPlugin.create(absldPlugin.optionsSchema.parse({}), { seed: 0 }).id).toBe('absld');
  });
});
