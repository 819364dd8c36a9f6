import { defineModelPlugin, type ModelPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { architectureOptionsFrom, inputNormalizationSchema, maximumChannels, positiveInteger } from '../architecture/plugin-options.js';
import { createPreActResNet18 } from './preact-resnet18.js';

/** Options of the `'preact-resnet18'` plugin. */
export const preActResNet18OptionsSchema = z.strictObject({
  /** Base width: stages of w, 2w, 4w, 8w channels (64 = full). */
  width: positiveInteger(64, maximumChannels / 8), // the last stage has 8·width channels
  /** BN + ReLU before pooling: true is CFA's model, false FRL's. */
  finalBatchNorm: z.boolean().default(true).describe('BN + ReLU before pooling: true is CFA\'s model, false FRL\'s.'),
  /** Mean/std inside the model; none by default. */
  normalization: inputNormalizationSchema.optional().describe('Mean/std inside the model; none by default.'),
});

/** Parsed options of the `'preact-resnet18'` plugin. */
export type PreActResNet18PluginOptions = z.output<typeof preActResNet18OptionsSchema>;

/** `'preact-resnet18'`: PreActResNet-18 with or without the final BN+ReLU (`createPreActResNet18`). */
export const preActResNet18Plugin: ModelPlugin<PreActResNet18PluginOptions> = defineModelPlugin({
  kind: 'model',
  id: 'preact-resnet18',
  specificationVersion: 'v1',
  summary: 'PreActResNet-18 (CFA with final BN+ReLU, FRL without), pre-activation blocks w/2w/4w/8w; PyTorch init and BN.',
  optionsSchema: preActResNet18OptionsSchema,
  create: ({ width, finalBatchNorm, normalization }, context) =>
    createPreActResNet18({ ...architectureOptionsFrom(context, normalization), width, finalBatchNorm }),
});
