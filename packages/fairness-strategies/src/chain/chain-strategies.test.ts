import { IncompatiblePluginsError, type FairnessStrategy } from '@robustfair/spec';
import { createClassStatistics, describeFairnessStrategy } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { createAbsldStrategy } from '../absld/absld-strategy.js';
import { createCfaCcmStrategy } from '../cfa/cfa-ccm-strategy.js';
import { createCfaCcrStrategy } from '../cfa/cfa-ccr-strategy.js';
import { createClassReweightStrategy } from '../class-reweight/class-reweight-strategy.js';
import { createFairArdStrategy } from '../fair-ard/fair-ard-strategy.js';
import { createFrlStrategy } from '../frl/frl-strategy.js';
import { createIdentityStrategy } from '../identity/identity-strategy.js';
import { chainStrategies } from './chain-strategies.js';

describeFairnessStrategy('chain(absld, cfa-ccm)', () => chainStrategies(createAbsldStrategy(), createCfaCcmStrategy({ beginEpoch: 1, lossScale: 'none' })));
describeFairnessStrategy('chain(cfa-ccm, cfa-ccr trades scale)', () =>
  chainStrategies(createCfaCcmStrategy({ beginEpoch: 1 }), createCfaCcrStrategy({ beginEpoch: 1, lossScale: 'trades' })),
);
describeFairnessStrategy('chain(class-reweight, fair-ard)', () => chainStrategies(createClassReweightStrategy(), createFairArdStrategy()));
describeFairnessStrategy('chain(identity, frl-reweight)', () => chainStrategies(createIdentityStrategy(), createFrlStrategy('reweight')));

const epsilon = 8 / 255;
const context = { numClasses: 3, epsilon, epochs: 10 };

function expectVectorClose(actual: readonly number[] | undefined, expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, classIndex) => expect(actual?.[classIndex]).toBeCloseTo(value, 12));
}

/** A strategy with fixed knobs, for checking the combination rules. */
function fixed(id: string, knobs: ReturnType<FairnessStrategy['knobs']>, split: 'train' | 'validation' = 'train'): FairnessStrategy<null> {
  return { specificationVersion: 'v1', id, requires: { split, signals: [] }, init: () => null, update: () => null, knobs: () => knobs };
}

describe(chainStrategies, () => {
  it('takes the union of signals, in first-seen order, and the members\' split', () => {
    const chain = chainStrategies(createAbsldStrategy(), createClassReweightStrategy(), createCfaCcmStrategy());
    expect(chain.id).toBe('chain');
    expect(chain.requires).toEqual({ split: 'train', signals: ['natural-ce', 'robust-ce', 'robust-error'] });
    expect(chainStrategies(createIdentityStrategy(), createFrlStrategy('reweight')).requires.split).toBe('validation');
  });

  it('keeps the tuple of member states and updates each with the same statistics', () => {
    const chain = chainStrategies(createClassReweightStrategy(), createCfaCcmStrategy({ beginEpoch: 1, lossScale: 'none' }));
    const state = chain.init(context);
    expect(state).toEqual([{ weights: [1, 1, 1] }, { robustAccuracy: null, nextEpoch: 0, classes: 3, epsilon }]);
    const statistics = createClassStatistics({ count: [10, 10, 10], means: { 'robust-error': [0.2, 0.4, 0.6] } });
    const updated = chain.update(state, statistics);
    // class-reweight: e / mean(e) = [0.5, 1, 1.5]; cfa-ccm: r = [0.8, 0.6, 0.4] → ε_c = (0.5 + r_c)·ε
    const knobs = chain.knobs(updated);
    [0.5, 1, 1.5].forEach((weight, classIndex) => expect(knobs.naturalWeight?.[classIndex]).toBeCloseTo(weight, 12));
    [1.3, 1.1, 0.9].forEach((factor, classIndex) => expect(knobs.epsilon?.[classIndex]).toBeCloseTo(factor * epsilon, 12));
  });

  it("drops cfa-ccm's TRADES scale next to cfa-ccr, which carries it (the reference's CCM + CCR loss)", () => {
    // Before beginEpoch CCR ('cfa' scale) writes 1 − b = 1/7 and b/β = 1/7; CCM alone would
    // also write 1/7, and the product 1/49 would scale the loss twice.
    const chain = chainStrategies(createCfaCcmStrategy(), createCfaCcrStrategy());
    const knobs = chain.knobs(chain.init(context));
    expectVectorClose(knobs.naturalWeight, [1 / 7, 1 / 7, 1 / 7]);
    expectVectorClose(knobs.robustWeight, [1 / 7, 1 / 7, 1 / 7]);
    expect(knobs.epsilon).toEqual([epsilon, epsilon, epsilon]);
  });

  it('multiplies weights elementwise (absent = 1) and passes epsilon, temperature and reduction through', () => {
    const chain = chainStrategies(
      fixed('a', { naturalWeight: [0.5, 1, 2], robustWeight: [2, 2, 2], reduction: 'weight-normalised' }),
      fixed('b', { robustWeight: [0.5, 1, 3], epsilon: [0.01, 0.02, 0.03] }),
      fixed('c', { naturalWeight: [4, 1, 0.5], temperature: { adversarial: [1, 2, 3] } }),
    );
    expect(chain.knobs(chain.init(context))).toEqual({
      naturalWeight: [0.5 * 4, 1 * 1, 2 * 0.5],
      robustWeight: [2 * 0.5, 2 * 1, 2 * 3],
      epsilon: [0.01, 0.02, 0.03],
      temperature: { adversarial: [1, 2, 3] },
      reduction: 'weight-normalised',
    });
  });

  it('multiplies the weights of two real strategies: class-reweight × cfa-ccr', () => {
    const chain = chainStrategies(createClassReweightStrategy(), createCfaCcrStrategy({ beginEpoch: 1 }));
    const statistics = createClassStatistics({ count: [10, 10, 10], means: { 'robust-error': [0.2, 0.4, 0.6] } });
    const knobs = chain.knobs(chain.update(chain.init(context), statistics));
    // reweight [0.5, 1, 1.5]; CCR: r = [0.8, 0.6, 0.4], β' = (0.5 + r)·6 = [7.8, 6.6, 5.4], b = β'/(1 + β')
    const b = [7.8 / 8.8, 6.6 / 7.6, 5.4 / 6.4];
    [0.5, 1, 1.5].forEach((weight, classIndex) => {
      expect(knobs.naturalWeight?.[classIndex]).toBeCloseTo(weight * (1 - b[classIndex]!), 12);
      expect(knobs.robustWeight?.[classIndex]).toBeCloseTo((weight * b[classIndex]!) / 6, 12);
    });
  });

  it('fails at init when two members set epsilon, naming both and the knob', () => {
    const chain = chainStrategies(createCfaCcmStrategy(), createClassReweightStrategy(), createCfaCcmStrategy());
    const call = () => chain.init(context);
    expect(call).toThrow(IncompatiblePluginsError);
    expect(call).toThrow("chain: both 'cfa-ccm' (member 1) and 'cfa-ccm' (member 3) set the 'epsilon' knob");
    const frl = chainStrategies(createFrlStrategy('remargin'), createFrlStrategy('reweight-remargin'));
    expect(() => frl.init(context)).toThrow(/both 'frl-remargin' and 'frl-reweight-remargin' set the 'epsilon' knob/);
  });

  it('fails at init when two members set temperature', () => {
    const chain = chainStrategies(createAbsldStrategy(), createAbsldStrategy({ temperatureCoupling: 'product' }));
    expect(() => chain.init(context)).toThrow(/both 'absld' \(member 1\) and 'absld' \(member 2\) set the 'temperature' knob/);
  });

  it('fails on two different reductions, accepts the same one twice', () => {
    const conflicting = chainStrategies(fixed('mean-reducer', { reduction: 'mean' }), fixed('normaliser', { reduction: 'weight-normalised' }));
    expect(() => conflicting.init(context)).toThrow(/both 'mean-reducer' and 'normaliser' set the 'reduction' knob/);
    const same = chainStrategies(fixed('a', { reduction: 'mean' }), fixed('b', { reduction: 'mean' }));
    expect(same.knobs(same.init(context))).toEqual({ reduction: 'mean' });
  });

  it('fails at creation when members read different splits, naming both', () => {
    const call = () => chainStrategies(createAbsldStrategy(), createFrlStrategy('reweight'));
    expect(call).toThrow(IncompatiblePluginsError);
    expect(call).toThrow("chain: 'absld' reads the train split but 'frl-reweight' reads the validation split");
  });

  it('rejects an empty chain and a state of the wrong shape', () => {
    expect(() => chainStrategies()).toThrow(/at least one strategy/);
    const chain = chainStrategies(createIdentityStrategy());
    expect(() => chain.knobs([null, null])).toThrow(/tuple of 1 member states/);
  });
});
