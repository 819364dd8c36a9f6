import { defineModelPlugin, type ModelPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { maximumChannels } from '../architecture/plugin-options.js';
import { createSmallCnn } from './small-cnn.js';

/** Options of the `'small-cnn'` plugin; class count, input shape and seed come from the context. */
export const smallCnnOptionsSchema = z.strictObject({
  /** Channels of the first convolution (then 2·width and 4·width). */
  /** At most 1024: the last block has 4·width channels (`maximumChannels`). */
  width: z.number().int().min(1).max(maximumChannels / 4).default(32).describe('Channels of the first convolution (then 2·width and 4·width).'),
});

/** Parsed options of the `'small-cnn'` plugin. */
export type SmallCnnPluginOptions = z.output<typeof smallCnnOptionsSchema>;

/** `'small-cnn'`: three conv-BN-ReLU blocks, global average pool and a linear head (`createSmallCnn`). */
export const smallCnnPlugin: ModelPlugin<SmallCnnPluginOptions> = defineModelPlugin({
  kind: 'model',
  id: 'small-cnn',
  specificationVersion: 'v1',
  summary: 'Small CNN: conv3x3(w)-BN-ReLU, conv3x3(2w,s2)-BN-ReLU, conv3x3(4w,s2)-BN-ReLU, GAP, linear; PyTorch init and BN.',
  optionsSchema: smallCnnOptionsSchema,
  create: (options, { numClasses, inputShape, seed }) => createSmallCnn({ numClasses, inputShape, width: options.width, seed }),
});
