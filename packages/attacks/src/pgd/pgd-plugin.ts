import { inputUnits } from '@robustfair/core';
import { type AttackPlugin, defineAttackPlugin } from '@robustfair/spec';
import { z } from 'zod';
import {
  attackInitSchema,
  attackObjectiveSchema,
  confidenceSchema,
  modelModeSchema,
  restartsSchema,
  stepsSchema,
} from '../options/attack-option-fields.js';
import { createPgdAttack, pgdAttackDefaults, type PgdAttackOptions } from './pgd-attack.js';

/** Builds the strict options schema of a PGD-family attack from its defaults. */
export function projectedGradientOptionsSchema(defaults: Required<Omit<PgdAttackOptions, 'relativeStepSize'>>, maximumStepSize = 1) {
  return z.strictObject({
    steps: stepsSchema.default(defaults.steps).describe('Gradient steps per restart.'),
    stepSize: inputUnits(maximumStepSize).default(defaults.stepSize).describe('Step size in input units (a number or "2/255").'),
    /** Step by this fraction of the batch's largest per-sample ε instead of `stepSize` (FRL-RW+RM: 0.25). */
    relativeStepSize: z.number().positive().optional().describe("Step by this fraction of the batch's largest per-sample ε instead of stepSize (FRL-RW+RM's max(ε)/4: 0.25)."),
    init: attackInitSchema.default(defaults.init).describe("Start point: 'none' (the clean input), 'uniform' or 'gaussian' noise inside the ε-ball."),
    modelMode: modelModeSchema.default(defaults.modelMode).describe("The model's mode while attacking: 'eval' (batch-norm running statistics) or 'train'."),
    objective: attackObjectiveSchema.default(defaults.objective).describe("The loss the attack ascends: 'ce' (cross-entropy), 'cw' (margin) or 'dlr'."),
    confidence: confidenceSchema.default(defaults.confidence).describe("'cw' only: the margin κ to exceed."),
    restarts: restartsSchema.default(defaults.restarts).describe('Independent runs from random starts; the strongest result per sample is kept.'),
  });
}

/** PGD options as written in a config; unknown fields are rejected, missing ones get defaults. */
export const pgdOptionsSchema = projectedGradientOptionsSchema(pgdAttackDefaults);

/** Resolved PGD options (what results record). */
export type PgdPluginOptions = z.output<typeof pgdOptionsSchema>;

/** The `pgd` attack plugin: L∞ PGD, id `'pgd'`. */
export const pgdPlugin: AttackPlugin<PgdPluginOptions> = defineAttackPlugin({
  kind: 'attack',
  id: 'pgd',
  specificationVersion: 'v1',
  summary: 'L∞ projected gradient descent on a per-sample ε (steps × stepSize, random start, restarts; CE, CW margin or DLR).',
  reference: {
    title: 'Madry et al., Towards Deep Learning Models Resistant to Adversarial Attacks (ICLR)',
    year: 2018,
    url: 'https://arxiv.org/abs/1706.06083',
  },
  optionsSchema: pgdOptionsSchema,
  create: (options) => createPgdAttack(options),
});
