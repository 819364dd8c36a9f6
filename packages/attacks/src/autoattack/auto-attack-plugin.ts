import { type AttackPlugin, defineAttackPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { autoAttackReference } from '../apgd/apgd-plugins.js';
import { stepsSchema } from '../options/attack-option-fields.js';
import { autoAttackDefaults, createAutoAttack } from './auto-attack.js';

/** Options of `autoattack`. */
export const autoAttackOptionsSchema = z.strictObject({
  version: z.enum(['standard', 'rand']).default(autoAttackDefaults.version),
  steps: stepsSchema.default(autoAttackDefaults.steps),
  targets: z.number().int().min(1).default(autoAttackDefaults.targets),
  squareQueries: z.number().int().min(1).default(autoAttackDefaults.squareQueries),
  eotIterations: z.number().int().min(1).default(autoAttackDefaults.eotIterations),
});

/** Resolved options of `autoattack`. */
export type AutoAttackPluginOptions = z.output<typeof autoAttackOptionsSchema>;

/** `autoattack`: the AutoAttack cascade (`standard` or `rand`). */
export const autoAttackPlugin: AttackPlugin<AutoAttackPluginOptions> = defineAttackPlugin({
  kind: 'attack',
  id: 'autoattack',
  specificationVersion: 'v1',
  summary: 'AutoAttack: APGD-CE → APGD-T → FAB-T → Square on still-robust points (standard), or APGD-CE → APGD-DLR with EoT (rand).',
  reference: autoAttackReference,
  optionsSchema: autoAttackOptionsSchema,
  create: (options) => createAutoAttack(options),
});
