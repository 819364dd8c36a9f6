import { inputUnits } from '@robustfair/core';
import { type AttackPlugin, defineAttackPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { attackInitSchema, attackObjectiveSchema, modelModeSchema } from '../options/attack-option-fields.js';
import { createPgdAttack, pgdAttackDefaults } from './pgd-attack.js';

/** PGD options as written in a config; unknown fields are rejected, missing ones get defaults. */
export const pgdOptionsSchema = z.strictObject({
  steps: z.number().int().min(1).default(pgdAttackDefaults.steps),
  stepSize: inputUnits().default(pgdAttackDefaults.stepSize),
  init: attackInitSchema.default(pgdAttackDefaults.init),
  modelMode: modelModeSchema.default(pgdAttackDefaults.modelMode),
  objective: attackObjectiveSchema.default(pgdAttackDefaults.objective),
});

/** Resolved PGD options (what results record). */
export type PgdPluginOptions = z.output<typeof pgdOptionsSchema>;

/** The `pgd` attack plugin: L∞ PGD, id `'pgd'`. */
export const pgdPlugin: AttackPlugin<PgdPluginOptions> = defineAttackPlugin({
  kind: 'attack',
  id: 'pgd',
  specificationVersion: 'v1',
  summary: 'L∞ projected gradient descent on a per-sample ε (steps × stepSize, optional random start).',
  reference: {
    title: 'Madry et al., Towards Deep Learning Models Resistant to Adversarial Attacks (ICLR)',
    year: 2018,
    url: 'https://arxiv.org/abs/1706.06083',
  },
  optionsSchema: pgdOptionsSchema,
  create: (options) => createPgdAttack(options),
});
