import { defineModelPlugin, type ModelPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { architectureOptionsFrom, inputNormalizationSchema, maximumChannels, positiveInteger } from '../architecture/plugin-options.js';
import { createMobileNetV2 } from './mobilenet-v2.js';

/** Options of the `'mobilenet-v2'` plugin. */
export const mobileNetV2OptionsSchema = z.strictObject({
  /** Stem channels (32 = full); every other channel count scales by width / 32. */
  width: positiveInteger(32, Math.floor(maximumChannels / 40)), // the head has 40·width channels,
  /** Mean/std inside the model; none by default. */
  normalization: inputNormalizationSchema.optional().describe('Mean/std inside the model; none by default.'),
});

/** Parsed options of the `'mobilenet-v2'` plugin. */
export type MobileNetV2PluginOptions = z.output<typeof mobileNetV2OptionsSchema>;

/** `'mobilenet-v2'`: MobileNetV2, CIFAR variant of RSLAD (`createMobileNetV2`). */
export const mobileNetV2Plugin: ModelPlugin<MobileNetV2PluginOptions> = defineModelPlugin({
  kind: 'model',
  id: 'mobilenet-v2',
  specificationVersion: 'v1',
  summary: 'MobileNetV2 (CIFAR: stride-1 stem, total stride 8), inverted residuals with depthwise convs; PyTorch init and BN.',
  optionsSchema: mobileNetV2OptionsSchema,
  create: ({ width, normalization }, context) => createMobileNetV2({ ...architectureOptionsFrom(context, normalization), width }),
});
