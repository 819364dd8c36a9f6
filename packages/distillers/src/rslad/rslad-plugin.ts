import { defineDistillerPlugin, type DistillerPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { createRsladDistiller, rsladDistillerDefaults } from './rslad-distiller.js';

/** RSLAD options as written in a config; unknown fields are rejected, `lossScale` defaults to 1. */
export const rsladOptionsSchema = z.strictObject({
  /** Multiplies the 5/6 and 1/6 coefficients; 10 reproduces the CIFAR-100 script (docs/methods/rslad.md). */
  lossScale: z.number().positive().default(rsladDistillerDefaults.lossScale).describe('Multiplies the 5/6 and 1/6 coefficients; 10 reproduces the CIFAR-100 script (docs/methods/rslad.md).'),
});

/** Resolved RSLAD options (what results record). */
export type RsladPluginOptions = z.output<typeof rsladOptionsSchema>;

/** The `rslad` distiller plugin: docs/methods/rslad.md; ABSLD (docs/methods/absld.md) is `rslad` + strategy `absld`. */
export const rsladPlugin: DistillerPlugin<RsladPluginOptions> = defineDistillerPlugin({
  kind: 'distiller',
  id: 'rslad',
  specificationVersion: 'v1',
  summary: 'RSLAD: 5/6·KLmean(student adversarial ‖ teacher soft label) + 1/6·KLmean(student natural ‖ teacher soft label); accepts per-sample teacher temperatures (ABSLD).',
  reference: {
    title: 'Zi et al., Revisiting Adversarial Robustness Distillation: Robust Soft Labels Make Student Better (ICCV)',
    year: 2021,
    url: 'https://arxiv.org/abs/2108.07969',
  },
  optionsSchema: rsladOptionsSchema,
  create: (options) => createRsladDistiller(options),
});
