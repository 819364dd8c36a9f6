import { type AttackPlugin, defineAttackPlugin, type PluginReference } from '@robustfair/spec';
import { z } from 'zod';
import { attackNormSchema, modelModeSchema, restartsSchema, stepsSchema } from '../options/attack-option-fields.js';
import { apgdAttackDefaults, apgdTargetedAttackDefaults, createApgdAttack, createApgdTargetedAttack } from './apgd-attack.js';

const autoAttackReference: PluginReference = {
  title: 'Croce and Hein, Reliable evaluation of adversarial robustness with an ensemble of diverse parameter-free attacks (ICML)',
  year: 2020,
  url: 'https://arxiv.org/abs/2003.01690',
};

const commonFields = {
  steps: stepsSchema.default(apgdAttackDefaults.steps).describe('Iterations per restart.'),
  restarts: restartsSchema.default(apgdAttackDefaults.restarts).describe('Independent runs; the strongest result per sample is kept.'),
  rho: z.number().gt(0).max(1).default(apgdAttackDefaults.rho).describe('ρ: the step size is halved at a checkpoint when fewer than this fraction of steps increased the loss.'),
  norm: attackNormSchema.default(apgdAttackDefaults.norm).describe("The threat model's ball: 'linf' or 'l2'."),
  eotIterations: z.number().int().min(1).default(apgdAttackDefaults.eotIterations).describe('Gradient samples averaged per step (expectation over transformation, for randomised models).'),
  modelMode: modelModeSchema.default(apgdAttackDefaults.modelMode).describe("The model's mode while attacking: 'eval' or 'train'."),
};

/** Options of `apgd-ce` and `apgd-dlr` (the loss is fixed by the id). */
export const apgdOptionsSchema = z.strictObject(commonFields);

/** Resolved options of `apgd-ce` / `apgd-dlr`. */
export type ApgdPluginOptions = z.output<typeof apgdOptionsSchema>;

/** `apgd-ce`: APGD on the cross-entropy, AutoAttack's first stage. */
export const apgdCePlugin: AttackPlugin<ApgdPluginOptions> = defineAttackPlugin({
  kind: 'attack',
  id: 'apgd-ce',
  specificationVersion: 'v1',
  summary: 'Auto-PGD on the cross-entropy: momentum, per-sample step size halved at checkpoints (no step-size tuning).',
  reference: autoAttackReference,
  optionsSchema: apgdOptionsSchema,
  create: (options) => createApgdAttack({ ...options, loss: 'cross-entropy' }),
});

/** `apgd-dlr`: APGD on the untargeted DLR loss (needs ≥ 3 classes). */
export const apgdDlrPlugin: AttackPlugin<ApgdPluginOptions> = defineAttackPlugin({
  kind: 'attack',
  id: 'apgd-dlr',
  specificationVersion: 'v1',
  summary: 'Auto-PGD on the difference-of-logits-ratio loss (shift- and scale-invariant; needs ≥ 3 classes).',
  reference: autoAttackReference,
  optionsSchema: apgdOptionsSchema,
  create: (options) => createApgdAttack({ ...options, loss: 'dlr' }),
});

/** Options of `apgd-t`. */
export const apgdTargetedOptionsSchema = z.strictObject({
  ...commonFields,
  targets: z.number().int().min(1).default(apgdTargetedAttackDefaults.targets).describe('Target classes: the 2nd … (targets+1)-th highest clean logits; at most classes − 1.'),
});

/** Resolved options of `apgd-t`. */
export type ApgdTargetedPluginOptions = z.output<typeof apgdTargetedOptionsSchema>;

/** `apgd-t`: APGD on the targeted DLR loss, one run per target class (needs ≥ 4 classes, targets ≤ C − 1). */
export const apgdTargetedPlugin: AttackPlugin<ApgdTargetedPluginOptions> = defineAttackPlugin({
  kind: 'attack',
  id: 'apgd-t',
  specificationVersion: 'v1',
  summary: 'Targeted Auto-PGD on the targeted DLR loss, one run per top-ranked target class.',
  reference: autoAttackReference,
  optionsSchema: apgdTargetedOptionsSchema,
  create: (options) => createApgdTargetedAttack(options),
});

export { autoAttackReference };
