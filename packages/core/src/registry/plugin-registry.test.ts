import { defineFairnessStrategyPlugin, type FairnessStrategyPlugin, DuplicatePluginError, InvalidOptionsError, NoSuchPluginError } from '@robustfair/spec';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPluginRegistry, instantiatePlugin } from './plugin-registry.js';

const plugin = (id: string) =>
  defineFairnessStrategyPlugin({
    kind: 'fairness-strategy',
    id,
    specificationVersion: 'v1',
    summary: 'test',
    optionsSchema: z.strictObject({ power: z.number().positive().default(1), mode: z.enum(['a', 'b']).default('a') }),
    create: (options) => ({
      specificationVersion: 'v1',
      id,
      requires: { split: 'train', signals: [] },
      init: () => options.power,
      update: (state) => state,
      knobs: () => ({}),
    }),
  });

describe(createPluginRegistry, () => {
  it('rejects a duplicate id, listing what is registered', () => {
    expect(() => createPluginRegistry('fairness-strategy', [plugin('x'), plugin('x')])).toThrow(DuplicatePluginError);
  });

  it('names the available ids for an unknown id', () => {
    const registry = createPluginRegistry('fairness-strategy', [plugin('identity'), plugin('class-reweight')]);
    expect(() => registry.get('frl')).toThrow(NoSuchPluginError);
    expect(() => registry.get('frl')).toThrow("available: 'identity', 'class-reweight'");
  });

  it('allows an empty registry', () => {
    expect(createPluginRegistry<FairnessStrategyPlugin>('fairness-strategy', []).ids()).toEqual([]);
  });
});

describe(instantiatePlugin, () => {
  const registry = createPluginRegistry('fairness-strategy', [plugin('p')]);

  it('fills defaults and records the resolved options', () => {
    const made = instantiatePlugin(registry, { id: 'p' }, { seed: 0 });
    expect(made.options).toEqual({ power: 1, mode: 'a' });
  });

  it('names the field and the allowed values of a bad option', () => {
    const attempt = () => instantiatePlugin(registry, { id: 'p', options: { mode: 'c' } }, { seed: 0 }, 'fairness');
    expect(attempt).toThrow(InvalidOptionsError);
    expect(attempt).toThrow(/fairness\.options\.mode: .*"a".*"b"/);
  });

  it('names an unknown field', () => {
    const attempt = () => instantiatePlugin(registry, { id: 'p', options: { powr: 2 } }, { seed: 0 }, 'fairness');
    expect(attempt).toThrow(/fairness\.options: unknown field\(s\) 'powr'/);
  });
});
