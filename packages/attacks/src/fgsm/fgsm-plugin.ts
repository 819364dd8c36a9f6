import { type AttackPlugin, defineAttackPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { attackInitSchema, modelModeSchema } from '../options/attack-option-fields.js';
import { createFgsmAttack, fgsmAttackDefaults } from './fgsm-attack.js';

/** FGSM options as written in a config; unknown fields are rejected, missing ones get defaults. */
export const fgsmOptionsSchema = z.strictObject({
  init: attackInitSchema.default(fgsmAttackDefaults.init),
  modelMode: modelModeSchema.default(fgsmAttackDefaults.modelMode),
});

/** Resolved FGSM options (what results record). */
export type FgsmPluginOptions = z.output<typeof fgsmOptionsSchema>;

/** The `fgsm` attack plugin: one L∞ step of size ε, id `'fgsm'`. */
export const fgsmPlugin: AttackPlugin<FgsmPluginOptions> = defineAttackPlugin({
  kind: 'attack',
  id: 'fgsm',
  specificationVersion: 'v1',
  summary: 'Fast gradient sign method: one L∞ step of size ε per sample, then projection.',
  reference: {
    title: 'Goodfellow, Shlens and Szegedy, Explaining and Harnessing Adversarial Examples (ICLR)',
    year: 2015,
    url: 'https://arxiv.org/abs/1412.6572',
  },
  optionsSchema: fgsmOptionsSchema,
  create: (options) => createFgsmAttack(options),
});
