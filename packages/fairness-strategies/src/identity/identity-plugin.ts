import { defineFairnessStrategyPlugin, type FairnessStrategyPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { createIdentityStrategy } from './identity-strategy.js';

/** `identity` takes no options: `{}`. */
export const identityOptionsSchema = z.strictObject({});

/** Options of `identity` (always `{}`). */
export type IdentityOptions = z.output<typeof identityOptionsSchema>;

/** Descriptor of the `identity` strategy (no options). */
export const identityPlugin: FairnessStrategyPlugin<IdentityOptions> = defineFairnessStrategyPlugin({
  kind: 'fairness-strategy',
  id: 'identity',
  specificationVersion: 'v1',
  summary: 'No fairness method: neutral knobs every epoch (the ablation baseline).',
  optionsSchema: identityOptionsSchema,
  create: () => createIdentityStrategy(),
});
