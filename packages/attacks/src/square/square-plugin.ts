import { type AttackPlugin, defineAttackPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { modelModeSchema } from '../options/attack-option-fields.js';
import { createSquareAttack, squareAttackDefaults } from './square-attack.js';

/** Options of `square`. */
export const squareOptionsSchema = z.strictObject({
  queries: z.number().int().min(1).default(squareAttackDefaults.queries),
  initialFraction: z.number().gt(0).max(1).default(squareAttackDefaults.initialFraction),
  modelMode: modelModeSchema.default(squareAttackDefaults.modelMode),
  earlyStopEvery: z.number().int().min(1).default(squareAttackDefaults.earlyStopEvery),
});

/** Resolved options of `square`. */
export type SquarePluginOptions = z.output<typeof squareOptionsSchema>;

/** `square`: Square Attack, L∞, score-based (no gradients). */
export const squarePlugin: AttackPlugin<SquarePluginOptions> = defineAttackPlugin({
  kind: 'attack',
  id: 'square',
  specificationVersion: 'v1',
  summary: 'Square Attack (L∞): score-based random search with square updates; reads no gradient, so masking does not stop it.',
  reference: {
    title: 'Andriushchenko, Croce, Flammarion and Hein, Square Attack: a query-efficient black-box adversarial attack via random search (ECCV)',
    year: 2020,
    url: 'https://arxiv.org/abs/1912.00049',
  },
  optionsSchema: squareOptionsSchema,
  create: (options) => createSquareAttack(options),
});
