import { InvalidOptionsError, type ClassStatistics } from '@robustfair/spec';
import { createClassStatistics, describeFairnessStrategy } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { classReweightPlugin } from './class-reweight-plugin.js';
import { createClassReweightStrategy, type ClassReweightState } from './class-reweight-strategy.js';

describeFairnessStrategy('class-reweight', () => createClassReweightStrategy());
describeFairnessStrategy('class-reweight (power 2, narrow clip)', () => createClassReweightStrategy({ power: 2, min: 0.8, max: 1.25 }));

const context = { numClasses: 3, epsilon: 8 / 255, epochs: 10 };

/** Robust error rates per class with 10 samples each (sums = rate × 10). */
const errorRates = (rates: readonly number[], epoch = 0): ClassStatistics =>
  createClassStatistics({ epoch, count: rates.map(() => 10), means: { 'robust-error': rates } });

function expectWeights(state: ClassReweightState, expected: readonly number[]): void {
  expect(state.weights).toHaveLength(expected.length);
  state.weights.forEach((weight, classIndex) => expect(weight).toBeCloseTo(expected[classIndex]!, 12));
}

describe(createClassReweightStrategy, () => {
  it('reads robust-error on the training split', () => {
    expect(createClassReweightStrategy().requires).toEqual({ split: 'train', signals: ['robust-error'] });
  });

  describe('.init', () => {
    it('gives every class weight 1 in the first epoch', () => {
      const strategy = createClassReweightStrategy();
      const state = strategy.init({ ...context, numClasses: 4 });
      expect(state).toEqual({ weights: [1, 1, 1, 1] });
      expect(strategy.knobs(state)).toEqual({ naturalWeight: [1, 1, 1, 1], robustWeight: [1, 1, 1, 1] });
    });
  });

  describe('.update', () => {
    it('weights classes by error / mean error when no clip binds', () => {
      // e = [0.2, 0.4, 0.6], mean 0.4 → ratios [0.5, 1, 1.5], inside [0.5, 2], already mean 1.
      const strategy = createClassReweightStrategy();
      expectWeights(strategy.update(strategy.init(context), errorRates([0.2, 0.4, 0.6])), [0.5, 1, 1.5]);
    });

    it('rescales to mean 1, then clips at min and at max (every weight stays in [min, max])', () => {
      // e = [0, 0.3, 0.9], mean 0.4 → ratios [0, 0.75, 2.25] (mean 1) → clip to [0.5, 2]:
      // [0.5, 0.75, 2]; the mean drifts to 3.25 / 3. (Clip-then-rescale gave 24/13 ≈ 1.846 here.)
      const strategy = createClassReweightStrategy();
      const state = strategy.update(strategy.init(context), errorRates([0, 0.3, 0.9]));
      expectWeights(state, [0.5, 0.75, 2]);
    });

    it('never leaves [min, max] (clip-then-rescale gave 16/7 ≈ 2.29 here, above max)', () => {
      // e = [0.01, 0.01, 0.01, 0.97], mean 0.25 → ratios [0.04, 0.04, 0.04, 3.88] (mean 1)
      // → clip [0.5, 0.5, 0.5, 2]. Clip first, then rescale: [0.5, 0.5, 0.5, 2] / (3.5 / 4)
      // = [4/7, 4/7, 4/7, 16/7 ≈ 2.286], above max.
      const strategy = createClassReweightStrategy();
      const state = strategy.update({ weights: [1, 1, 1, 1] }, createClassStatistics({ count: [100, 100, 100, 100], sums: { 'robust-error': [1, 1, 1, 97] } }));
      expectWeights(state, [0.5, 0.5, 0.5, 2]);
      for (const weight of state.weights) expect(weight).toBeLessThanOrEqual(2);
    });

    it('raises the ratio to `power`', () => {
      // power 2: ratios [0.5, 1, 1.5]² = [0.25, 1, 2.25], mean 3.5 / 3 = 7/6
      // → [0.25·6/7, 6/7, 2.25·6/7] = [3/14, 6/7, 27/14] → clip to [0.5, 2]: [0.5, 6/7, 27/14].
      const strategy = createClassReweightStrategy({ power: 2 });
      expectWeights(strategy.update(strategy.init(context), errorRates([0.2, 0.4, 0.6])), [0.5, 6 / 7, 27 / 14]);
    });

    it('gives every class weight 1 when no class has robust errors', () => {
      const strategy = createClassReweightStrategy();
      expect(strategy.update({ weights: [0.5, 1, 1.5] }, errorRates([0, 0, 0]))).toEqual({ weights: [1, 1, 1] });
    });

    it('uses error rates, so unequal counts do not matter', () => {
      // Sums [1, 8, 3] over counts [5, 20, 5]: rates [0.2, 0.4, 0.6], as in the first example.
      const strategy = createClassReweightStrategy();
      const statistics = createClassStatistics({ count: [5, 20, 5], sums: { 'robust-error': [1, 8, 3] } });
      expectWeights(strategy.update(strategy.init(context), statistics), [0.5, 1, 1.5]);
    });

    it('replaces the previous weights instead of accumulating them', () => {
      const strategy = createClassReweightStrategy();
      expectWeights(strategy.update({ weights: [2, 0.5, 0.5] }, errorRates([0.2, 0.4, 0.6], 3)), [0.5, 1, 1.5]);
    });

    it('treats a class without samples as average (ratio 1)', () => {
      // Observed rates 0.2 and 0.6 → the empty class gets 0.4; as in the first example.
      const strategy = createClassReweightStrategy();
      const statistics = createClassStatistics({ count: [10, 0, 10], sums: { 'robust-error': [2, 0, 6] } });
      expectWeights(strategy.update(strategy.init(context), statistics), [0.5, 1, 1.5]);
    });

    it('throws naming the strategy when robust-error is missing', () => {
      const strategy = createClassReweightStrategy();
      const statistics = createClassStatistics({ count: [10, 10, 10], means: { 'natural-error': [0.1, 0.1, 0.1] } });
      expect(() => strategy.update(strategy.init(context), statistics)).toThrow(
        /'class-reweight' needs signal 'robust-error'/,
      );
    });

    it('throws when the statistics cover a different number of classes', () => {
      const strategy = createClassReweightStrategy();
      expect(() => strategy.update(strategy.init(context), errorRates([0.1, 0.2]))).toThrow(/2 classes but the state has 3/);
    });
  });

  describe('.knobs', () => {
    it('sets natural and robust weights to the same vector, and nothing else', () => {
      const strategy = createClassReweightStrategy();
      expect(strategy.knobs({ weights: [0.5, 1, 1.5] })).toEqual({ naturalWeight: [0.5, 1, 1.5], robustWeight: [0.5, 1, 1.5] });
    });
  });

  describe('options', () => {
    it('rejects min > max, naming both fields', () => {
      const call = () => createClassReweightStrategy({ min: 3, max: 2 });
      expect(call).toThrow(InvalidOptionsError);
      expect(call).toThrow(/min: min must be less than or equal to max/);
    });

    it('rejects an unknown field by name', () => {
      expect(() => createClassReweightStrategy({ maximum: 2 } as never)).toThrow(/unknown field\(s\) 'maximum'/);
    });

    it('rejects a negative power, naming the field', () => {
      expect(() => createClassReweightStrategy({ power: -1 })).toThrow(/power: /);
    });
  });
});

describe('classReweightPlugin', () => {
  it('fills defaults', () => {
    expect(classReweightPlugin.optionsSchema.parse({})).toEqual({ power: 1, min: 0.5, max: 2 });
  });

  it.each([
    [{ min: 3, max: 2 }, ['min'], /max/],
    [{ power: -0.5 }, ['power'], />=0/],
    [{ min: 0 }, ['min'], />0/],
    [{ power: '1' }, ['power'], /number/],
  ])('rejects %o at path %o', (raw, path, message) => {
    const result = classReweightPlugin.optionsSchema.safeParse(raw);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
    expect(result.error?.issues[0]?.message).toMatch(message);
  });

  it('rejects an unknown field, listing it', () => {
    const result = classReweightPlugin.optionsSchema.safeParse({ strength: 2 });
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['strength'] });
  });

  it('creates a strategy with the parsed options', () => {
    const strategy = classReweightPlugin.create(classReweightPlugin.optionsSchema.parse({ power: 2 }), { seed: 0 });
    expect(strategy.id).toBe('class-reweight');
    const state = strategy.update(strategy.init(context), errorRates([0.2, 0.4, 0.6]));
    expect((state as ClassReweightState).weights[2]).toBeCloseTo(27 / 14, 12);
  });
});
