import { defineModelPlugin, type ModelPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { cifar10Normalization } from '../architecture/input-normalization.js';
import { architectureOptionsFrom, inputNormalizationSchema, maximumChannels, positiveInteger } from '../architecture/plugin-options.js';
import { createDmWideResNet } from './dm-wide-resnet.js';
import { limitWideResNetChannels, wideResNetDepth } from './wide-resnet-plugin.js';

/** Options of the `'dm-wide-resnet'` plugin. */
export const dmWideResNetOptionsSchema = z.strictObject({
  /** 70 for the Gowal et al. teacher. */
  depth: wideResNetDepth(70),
  /** k: 16 for the teacher. */
  widenFactor: positiveInteger(16, maximumChannels / 4),
  /** Base width (16): stem `width`, groups width·k, 2·width·k, 4·width·k. */
  width: positiveInteger(16, maximumChannels / 4),
  activation: z.enum(['swish', 'relu']).default('swish'),
  /**
   * Mean/std inside the model. Defaults to the CIFAR-10 constants the reference uses even for its
   * CIFAR-100 teacher; `null` turns normalisation off.
   */
  normalization: inputNormalizationSchema.nullable().default(() => ({ mean: [...cifar10Normalization.mean], std: [...cifar10Normalization.std] })).describe('Mean/std inside the model. Defaults to the CIFAR-10 constants the reference uses even for its CIFAR-100 teacher; `null` turns normalisation off.'),
}).superRefine(limitWideResNetChannels);

/** Parsed options of the `'dm-wide-resnet'` plugin. */
export type DmWideResNetPluginOptions = z.output<typeof dmWideResNetOptionsSchema>;

/** `'dm-wide-resnet'`: DeepMind WideResNet, WRN-70-16 Swish with CIFAR-10 normalisation by default (`createDmWideResNet`). */
export const dmWideResNetPlugin: ModelPlugin<DmWideResNetPluginOptions> = defineModelPlugin({
  kind: 'model',
  id: 'dm-wide-resnet',
  specificationVersion: 'v1',
  summary: 'DeepMind WideResNet (Gowal et al. 2020; WRN-70-16 Swish default), normalises inputs inside with CIFAR-10 mean/std.',
  optionsSchema: dmWideResNetOptionsSchema,
  create: ({ depth, widenFactor, width, activation, normalization }, context) =>
    createDmWideResNet({ ...architectureOptionsFrom(context, normalization), depth, widenFactor, width, activation }),
});
