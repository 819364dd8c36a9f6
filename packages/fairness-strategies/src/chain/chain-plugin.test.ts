import { describe, expect, it } from 'vitest';
import { builtinFairnessStrategies, chainPlugin } from '../builtin-fairness-strategies.js';
import { identityPlugin } from '../identity/identity-plugin.js';
import { createChainPlugin } from './chain-plugin.js';

describe('chainPlugin', () => {
  it('is in the built-in list and fills each member\'s defaults', () => {
    expect(builtinFairnessStrategies).toContain(chainPlugin);
    const parsed = chainPlugin.optionsSchema.parse({ strategies: [{ id: 'cfa-ccm' }, { id: 'cfa-ccr', options: { beta: 6 } }] });
    expect(parsed).toEqual({
      strategies: [
        { id: 'cfa-ccm', options: { lambda: 0.5, beginEpoch: 10, lossScale: 'cfa', beta: 6 } },
        { id: 'cfa-ccr', options: { lambda: 0.5, beginEpoch: 10, beta: 6, lossScale: 'cfa' } },
      ],
    });
  });

  it('reports an unknown member id at its path, listing the registered ids', () => {
    const result = chainPlugin.optionsSchema.safeParse({ strategies: [{ id: 'absld' }, { id: 'my-strategy' }] });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['strategies', 1, 'id']);
    expect(result.error?.issues[0]?.message).toMatch(/no fairness strategy 'my-strategy'; available: 'identity', 'class-reweight', 'absld'/);
  });

  it("reports a member's bad option at strategies.<i>.options.<field>", () => {
    const result = chainPlugin.optionsSchema.safeParse({ strategies: [{ id: 'absld', options: { learningRate: -1, colour: 1 } }] });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toContain('strategies.0.options.learningRate');
    expect(result.error?.issues.map((issue) => issue.message).join('\n')).toMatch(/'absld': unknown field\(s\) 'colour'/);
  });

  it('rejects an empty member list and unknown top-level fields', () => {
    expect(chainPlugin.optionsSchema.safeParse({ strategies: [] }).success).toBe(false);
    expect(chainPlugin.optionsSchema.safeParse({ strategies: [{ id: 'identity' }], mode: 'x' }).success).toBe(false);
  });

  it('creates the chained strategy, nested chains included', () => {
    const options = chainPlugin.optionsSchema.parse({
      strategies: [{ id: 'absld' }, { id: 'chain', options: { strategies: [{ id: 'cfa-ccm' }, { id: 'cfa-ccr' }] } }],
    });
    const strategy = chainPlugin.create(options, { seed: 0 });
    expect(strategy.id).toBe('chain');
    expect(strategy.requires).toEqual({ split: 'train', signals: ['natural-ce', 'robust-ce', 'robust-error'] });
    const knobs = strategy.knobs(strategy.init({ numClasses: 2, epsilon: 0.5, epochs: 3 }));
    expect(knobs.epsilon).toEqual([0.5, 0.5]);
    expect(knobs.temperature).toEqual({ natural: [1, 1], adversarial: [1, 1] });
  });

  it('createChainPlugin resolves against any list (a runner can include outside plugins)', () => {
    const outside = { ...identityPlugin, id: 'my-strategy' };
    const plugin = createChainPlugin(() => [...builtinFairnessStrategies, outside]);
    const strategy = plugin.create(plugin.optionsSchema.parse({ strategies: [{ id: 'my-strategy' }, { id: 'fair-ard' }] }), { seed: 0 });
    expect(strategy.requires.signals).toEqual(['kappa']);
  });
});
