import { defineFairnessStrategyPlugin, FairnessStrategyRegistry } from '@robustfair/spec';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseExperimentSpec } from '../config/load-config.js';
import { resolve } from './resolve.js';
import { createRootContainer } from './root-container.js';
import { specRegistries, validateSpecPlugins } from './validate-spec.js';

// Issue 14, section 2: `chain` sees strategies loaded from a config's `plugins`.
const outside = defineFairnessStrategyPlugin({
  kind: 'fairness-strategy',
  id: 'outside-halves',
  specificationVersion: 'v1',
  summary: 'robust weight 0.5 everywhere',
  optionsSchema: z.strictObject({ factor: z.number().default(0.5) }),
  create: ({ factor }) => ({
    specificationVersion: 'v1',
    id: 'outside-halves',
    requires: { split: 'train', signals: [] },
    init: () => null,
    update: (state) => state,
    knobs: () => ({ robustWeight: [factor, factor] }),
  }),
});

describe('the runner registry of fairness strategies', () => {
  it("gives a chain whose members include outside plugins, options parsed by each member's schema", () => {
    const registry = resolve(createRootContainer({ plugins: [outside] }), FairnessStrategyRegistry);
    const chain = registry.get('chain');
    const options = chain.optionsSchema.parse({ strategies: [{ id: 'class-reweight' }, { id: 'outside-halves' }] });
    expect((options as { strategies: unknown[] }).strategies[1]).toEqual({ id: 'outside-halves', options: { factor: 0.5 } });
    const strategy = chain.create(options, { seed: 0 });
    expect(strategy.knobs(strategy.init({ numClasses: 2, epsilon: 8 / 255, epochs: 1 })).robustWeight).toEqual([0.5, 0.5]);
  });

  it('lists chain members of plugins that were not loaded as not checked (validate without --allow-plugins)', () => {
    const spec = parseExperimentSpec({
      name: 'x',
      plugins: ['./outside.js'],
      dataset: { id: 'synthetic' },
      model: { id: 'small-cnn' },
      training: { epochs: 1 },
      fairness: { id: 'chain', options: { strategies: [{ id: 'absld' }, { id: 'outside-halves' }] } },
    });
    const unchecked: string[] = [];
    validateSpecPlugins(spec, specRegistries(createRootContainer()), 'config', { unchecked });
    expect(unchecked).toEqual(["fairness 'chain' member 'outside-halves'"]);
  });
});
