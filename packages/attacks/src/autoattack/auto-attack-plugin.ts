import { type AttackPlugin, defineAttackPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { autoAttackReference } from '../apgd/apgd-plugins.js';
import { stepsSchema } from '../options/attack-option-fields.js';
import { autoAttackDefaults, createAutoAttack } from './auto-attack.js';

/** Options of `autoattack`. */
export const autoAttackOptionsSchema = z.strictObject({
  version: z
    .enum(['standard', 'rand'])
    .default(autoAttackDefaults.version)
    .describe("'standard': APGD-CE, APGD-T, FAB-T, Square; 'rand' (randomised defences): APGD-CE, APGD-DLR with EoT."),
  steps: stepsSchema.default(autoAttackDefaults.steps).describe('Iterations of each APGD and FAB run.'),
  targets: z.number().int().min(1).default(autoAttackDefaults.targets).describe('Target classes of APGD-T and FAB-T (at most classes − 1).'),
  squareQueries: z.number().int().min(1).default(autoAttackDefaults.squareQueries).describe("Square's query budget."),
  eotIterations: z.number().int().min(1).default(autoAttackDefaults.eotIterations).describe("'rand': gradient samples averaged per step (expectation over transformation)."),
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
