import { describe, expect, it } from 'vitest';
import { builtinFairnessStrategies } from './builtin-fairness-strategies.js';

describe('builtinFairnessStrategies', () => {
  it('lists identity and class-reweight with unique ids', () => {
    const ids = builtinFairnessStrategies.map((plugin) => plugin.id);
    expect(ids).toEqual(['identity', 'class-reweight']);
    for (const plugin of builtinFairnessStrategies) {
      expect(plugin.kind).toBe('fairness-strategy');
      expect(plugin.create(plugin.optionsSchema.parse({}), { seed: 0 }).id).toBe(plugin.id);
    }
  });
});
