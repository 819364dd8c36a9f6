import { inputUnits } from '@robustfair/core';
import { type AttackPlugin, defineAttackPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { attackInitSchema, modelModeSchema, stepsSchema } from '../options/attack-option-fields.js';
import { createFatAttack, fatAttackDefaults } from './fat-attack.js';

/** Options of `fat`. */
export const fatOptionsSchema = z.strictObject({
  steps: stepsSchema.default(fatAttackDefaults.steps),
  stepSize: inputUnits().default(fatAttackDefaults.stepSize),
  budget: z.number().int().min(0).default(fatAttackDefaults.budget),
  noise: z.number().min(0).default(fatAttackDefaults.noise),
  init: attackInitSchema.default(fatAttackDefaults.init),
  freezeRule: z.enum(['misclassified', 'budget-exhausted']).default(fatAttackDefaults.freezeRule),
  modelMode: modelModeSchema.default(fatAttackDefaults.modelMode),
});

/** Resolved options of `fat`. */
export type FatPluginOptions = z.output<typeof fatOptionsSchema>;

/** `fat`: early-stopped PGD of Friendly Adversarial Training. */
export const fatPlugin: AttackPlugin<FatPluginOptions> = defineAttackPlugin({
  kind: 'attack',
  id: 'fat',
  specificationVersion: 'v1',
  summary: 'Early-stopped L∞ PGD (FAT): a sample stops once misclassified with its budget τ spent (CFA rule: once τ is spent).',
  reference: {
    title: 'Zhang et al., Attacks Which Do Not Kill Training Make Adversarial Learning Stronger (ICML)',
    year: 2020,
    url: 'https://arxiv.org/abs/2002.11242',
  },
  optionsSchema: fatOptionsSchema,
  create: (options) => createFatAttack(options),
});
