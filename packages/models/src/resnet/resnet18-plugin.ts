import { defineModelPlugin, type ModelPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { architectureOptionsFrom, inputNormalizationSchema, maximumChannels, positiveInteger } from '../architecture/plugin-options.js';
import { createResNet18 } from './resnet18.js';

/** Options of the `'resnet18'` plugin; class count, input shape and seed come from the context. */
export const resNet18OptionsSchema = z.strictObject({
  /** Base width: stages of w, 2w, 4w, 8w channels (64 = the paper's ResNet-18). */
  width: positiveInteger(64, maximumChannels / 8), // the last stage has 8·width channels
  /** Mean/std inside the model; none by default (RSLAD/ABSLD students see [0, 1] pixels). */
  normalization: inputNormalizationSchema.optional().describe('Mean/std inside the model; none by default (RSLAD/ABSLD students see [0, 1] pixels).'),
});

/** Parsed options of the `'resnet18'` plugin. */
export type ResNet18PluginOptions = z.output<typeof resNet18OptionsSchema>;

/** `'resnet18'`: ResNet-18, CIFAR variant (`createResNet18`). */
export const resNet18Plugin: ModelPlugin<ResNet18PluginOptions> = defineModelPlugin({
  kind: 'model',
  id: 'resnet18',
  specificationVersion: 'v1',
  summary: 'ResNet-18 (CIFAR: 3x3 stem, no max-pool), basic blocks w/2w/4w/8w, average pool, linear; PyTorch init and BN.',
  optionsSchema: resNet18OptionsSchema,
  create: ({ width, normalization }, context) => createResNet18({ ...architectureOptionsFrom(context, normalization), width }),
});
