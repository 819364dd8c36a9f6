import { defineObjectivePlugin, type ObjectivePlugin } from '@robustfair/spec';
import { z } from 'zod';
import { createSatObjective } from './sat-objective.js';

/** SAT takes no options; any field is rejected. */
export const satOptionsSchema = z.strictObject({});

/** Resolved SAT options (always `{}`). */
export type SatPluginOptions = z.output<typeof satOptionsSchema>;

/** The `sat` objective plugin: PGD adversarial training, docs/methods/sat.md. */
export const satPlugin: ObjectivePlugin<SatPluginOptions> = defineObjectivePlugin({
  kind: 'objective',
  id: 'sat',
  specificationVersion: 'v1',
  summary: 'Standard adversarial training (PGD-AT): cross-entropy on the adversarial batch only.',
  reference: {
    title: 'Madry et al., Towards Deep Learning Models Resistant to Adversarial Attacks (ICLR)',
    year: 2018,
    url: 'https://arxiv.org/abs/1706.06083',
  },
  optionsSchema: satOptionsSchema,
  create: () => createSatObjective(),
});
