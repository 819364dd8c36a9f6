import { describe, expect, it } from 'vitest';
import { builtinFairnessStrategies } from './builtin-fairness-strategies.js';

describe('builtinFairnessStrategies', () => {
  it('lists every strategy with unique ids, each creatable from {} (chain needs members)', () => {
    const ids = builtinFairnessStrategies.map((plugin) => plugin.id);
    expect(ids).toEqual([
      'identity',
      'class-reweight',
      'absld',
      'frl-reweight',
      'frl-remargin',
      'frl-reweight-remargin',
      'cfa-ccm',
      'cfa-ccr',
      'fair-ard',
      'wat',
      'chain',
    ]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const plugin of builtinFairnessStrategies) {
      expect(plugin.kind).toBe('fairness-strategy');
      const raw = plugin.id === 'chain' ? { strategies: [{ id: 'identity' }] } : {};
      expect(plugin.create(plugin.optionsSchema.parse(raw), { seed: 0 }).id).toBe(plugin.id);
    }
  });

  it('cites a paper for every method', () => {
    for (const plugin of builtinFairnessStrategies) {
      if (['identity', 'class-reweight', 'chain'].includes(plugin.id)) continue;
      expect(plugin.reference?.title, plugin.id).toBeTruthy();
      expect(plugin.reference?.year, plugin.id).toBeGreaterThan(2000);
    }
  });
});
