import { createClassStatistics, describeFairnessStrategy } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { identityPlugin } from './identity-plugin.js';
import { createIdentityStrategy } from './identity-strategy.js';

describeFairnessStrategy('identity', createIdentityStrategy);

describe(createIdentityStrategy, () => {
  const strategy = createIdentityStrategy();

  it('reads no signals on the training split', () => {
    expect(strategy.id).toBe('identity');
    expect(strategy.requires).toEqual({ split: 'train', signals: [] });
  });

  it('keeps null state and gives empty (neutral) knobs before and after an update', () => {
    const state = strategy.init({ numClasses: 3, epsilon: 8 / 255, epochs: 10 });
    expect(state).toBeNull();
    expect(strategy.knobs(state)).toEqual({});
    const updated = strategy.update(state, createClassStatistics({ count: [5, 5, 5], means: { 'robust-error': [0.1, 0.5, 0.9] } }));
    expect(updated).toBeNull();
    expect(strategy.knobs(updated)).toEqual({});
  });
});

describe('identityPlugin', () => {
  it('accepts {} and rejects any field', () => {
    expect(identityPlugin.optionsSchema.parse({})).toEqual({});
    const result = identityPlugin.optionsSchema.safeParse({ power: 1 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['power'] });
  });

  it('creates the identity strategy', () => {
    expect(identityPlugin.create({}, { seed: 0 }).id).toBe('identity');
  });
});
