import { defineModelPlugin, type ModelPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { architectureOptionsFrom, inputNormalizationSchema, maximumChannels, positiveInteger } from '../architecture/plugin-options.js';
import { createWideResNet } from './wide-resnet.js';

/** `depth` of a WideResNet: 6n + 4 with n ≥ 1. */
export const wideResNetDepth = (fallback: number) =>
  z
    .number()
    .int()
    .min(10)
    .max(200) // WRN-70 is the deepest in use; each 6 add two blocks per group
    .refine((depth) => (depth - 4) % 6 === 0, { message: 'must be 6n + 4 (10, 16, …, 28, 34, 70)' })
    .default(fallback);

/** Options of the `'wide-resnet'` plugin. */
export const wideResNetOptionsSchema = z.strictObject({
  /** 34 for the TRADES teacher. */
  depth: wideResNetDepth(34),
  /** k: groups of 16k, 32k, 64k channels at width 16. */
  widenFactor: positiveInteger(10, maximumChannels / 4),
  /** Base width (16 in the paper): stem `width`, groups width·k, 2·width·k, 4·width·k. */
  width: positiveInteger(16, maximumChannels / 4),
  /** Mean/std inside the model; none by default (the TRADES teacher sees [0, 1] pixels). */
  normalization: inputNormalizationSchema.optional().describe('Mean/std inside the model; none by default (the TRADES teacher sees [0, 1] pixels).'),
}).superRefine(limitWideResNetChannels);

/** The last group has 4·width·widenFactor channels: at most `maximumChannels`. */
export function limitWideResNetChannels(options: { readonly width: number; readonly widenFactor: number }, context: z.RefinementCtx): void {
  const channels = 4 * options.width * options.widenFactor;
  if (channels > maximumChannels) {
    context.addIssue({ code: 'custom', path: ['widenFactor'], message: `4·width·widenFactor = ${channels} channels in the last group, more than the limit of ${maximumChannels}` });
  }
}

/** Parsed options of the `'wide-resnet'` plugin. */
export type WideResNetPluginOptions = z.output<typeof wideResNetOptionsSchema>;

/** `'wide-resnet'`: WideResNet of TRADES/RSLAD, WRN-34-10 by default (`createWideResNet`). */
export const wideResNetPlugin: ModelPlugin<WideResNetPluginOptions> = defineModelPlugin({
  kind: 'model',
  id: 'wide-resnet',
  specificationVersion: 'v1',
  summary: 'WideResNet (TRADES/RSLAD, WRN-34-10 default): pre-activation blocks, ReLU, N(0, sqrt(2/fan-out)) conv init.',
  optionsSchema: wideResNetOptionsSchema,
  create: ({ depth, widenFactor, width, normalization }, context) =>
    createWideResNet({ ...architectureOptionsFrom(context, normalization), depth, widenFactor, width }),
});
