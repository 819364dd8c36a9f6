import { type AttackPlugin, defineAttackPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { modelModeSchema, stepsSchema } from '../options/attack-option-fields.js';
import { createFabTargetedAttack, fabTargetedAttackDefaults } from './fab-targeted-attack.js';

/** Options of `fab-t`. */
export const fabTargetedOptionsSchema = z.strictObject({
  steps: stepsSchema.default(fabTargetedAttackDefaults.steps),
  targets: z.number().int().min(1).default(fabTargetedAttackDefaults.targets),
  alphaMax: z.number().min(0).max(1).default(fabTargetedAttackDefaults.alphaMax),
  overshoot: z.number().min(1).default(fabTargetedAttackDefaults.overshoot),
  backtrack: z.number().gt(0).max(1).default(fabTargetedAttackDefaults.backtrack),
  modelMode: modelModeSchema.default(fabTargetedAttackDefaults.modelMode),
});

/** Resolved options of `fab-t`. */
export type FabTargetedPluginOptions = z.output<typeof fabTargetedOptionsSchema>;

/** `fab-t`: targeted FAB, L∞, minimum-norm (ignores `request.objective`). */
export const fabTargetedPlugin: AttackPlugin<FabTargetedPluginOptions> = defineAttackPlugin({
  kind: 'attack',
  id: 'fab-t',
  specificationVersion: 'v1',
  summary: 'Targeted Fast Adaptive Boundary attack (L∞, minimum norm): linearise, project onto the boundary, keep the closest point within ε.',
  reference: {
    title: 'Croce and Hein, Minimally distorted Adversarial Examples with a Fast Adaptive Boundary Attack (ICML)',
    year: 2020,
    url: 'https://arxiv.org/abs/1907.02044',
  },
  optionsSchema: fabTargetedOptionsSchema,
  create: (options) => createFabTargetedAttack(options),
});
