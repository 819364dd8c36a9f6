import { defineDistillerPlugin, type DistillerPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { ardDistillerDefaults, createArdDistiller } from './ard-distiller.js';

/** ARD options as written in a config; unknown fields are rejected, defaults are the reference code's. */
export const ardOptionsSchema = z.strictObject({
  /** α in [0, 1] (default 1): distillation weight; `1 − α` weighs the natural cross-entropy. */
  distillationWeight: z.number().min(0).max(1).default(ardDistillerDefaults.distillationWeight).describe('α in [0, 1] (default 1): distillation weight; `1 − α` weighs the natural cross-entropy.'),
  /** T > 0 (default 30): fixed distillation temperature of student and teacher. */
  temperature: z.number().positive().default(ardDistillerDefaults.temperature).describe('T > 0 (default 30): fixed distillation temperature of student and teacher.'),
});

/** Resolved ARD options (what results record). */
export type ArdPluginOptions = z.output<typeof ardOptionsSchema>;

/** The `ard` distiller plugin: docs/methods/ard.md. Its attack runs in train mode (set on the attack). */
export const ardPlugin: DistillerPlugin<ArdPluginOptions> = defineDistillerPlugin({
  kind: 'distiller',
  id: 'ard',
  specificationVersion: 'v1',
  summary: 'ARD: α·T²·KL(teacher soft label at T ‖ student adversarial at T) + (1 − α)·CE(student natural); fixed temperature.',
  reference: {
    title: 'Goldblum et al., Adversarially Robust Distillation (AAAI)',
    year: 2020,
    url: 'https://arxiv.org/abs/1905.09747',
  },
  optionsSchema: ardOptionsSchema,
  create: (options) => createArdDistiller(options),
});
