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
  steps: stepsSchema.default(apgdAttackDefaults.steps),
  restarts: restartsSchema.default(apgdAttackDefaults.restarts),
  rho: z.number().gt(0).max(1).default(apgdAttackDefaults.rho),
  norm: attackNormSchema.default(apgdAttackDefaults.norm),
  eotIterations: z.number().int().min(1).default(apgdAttackDefaults.eotIterations),
  modelMode: modelModeSchema.default(apgdAttackDefaults.modelMode),
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
  targets: z.number().int().min(1).default(apgdTargetedAttackDefaults.targets),
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
