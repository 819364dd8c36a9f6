import { defineObjectivePlugin, type ObjectivePlugin } from '@robustfair/spec';
import { z } from 'zod';
import { createTradesObjective, tradesObjectiveDefaults } from './trades-objective.js';

/** TRADES options as written in a config; unknown fields are rejected, `beta` defaults to 6. */
export const tradesOptionsSchema = z.strictObject({
  beta: z.number().nonnegative().default(tradesObjectiveDefaults.beta),
});

/** Resolved TRADES options (what results record). */
export type TradesPluginOptions = z.output<typeof tradesOptionsSchema>;

/** The `trades` objective plugin: docs/methods/trades.md. */
export const tradesPlugin: ObjectivePlugin<TradesPluginOptions> = defineObjectivePlugin({
  kind: 'objective',
  id: 'trades',
  specificationVersion: 'v1',
  summary: 'TRADES: clean cross-entropy plus β·KL(clean prediction ‖ adversarial prediction).',
  reference: {
    title: 'Zhang et al., Theoretically Principled Trade-off between Robustness and Accuracy (ICML)',
    year: 2019,
    url: 'https://arxiv.org/abs/1901.08573',
  },
  optionsSchema: tradesOptionsSchema,
  create: (options) => createTradesObjective(options),
});
