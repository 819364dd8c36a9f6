import { deriveSeed } from '@robustfair/core';
import { InvalidOptionsError, type Model, type NamedVariable, type OptionsIssue } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { type BatchNorm, createBatchNorm } from '../layers/batch-norm.js';
import { type Conv2d, createConv2d } from '../layers/conv2d.js';
import { createDense } from '../layers/dense.js';

/** What `createSmallCnn` needs. */
export interface SmallCnnOptions {
  readonly numClasses: number;
  readonly inputShape: readonly [height: number, width: number, channels: number];
  /** Channels of the first convolution; the next two have 2·width and 4·width. Default 32. */
  readonly width?: number;
  /** Seeds the initialisation; each layer derives its own stream (`deriveSeed(seed, 'conv1')`, …). */
  readonly seed: number;
}

const isPositiveInteger = (value: number) => Number.isInteger(value) && value > 0;

/**
 * The small CNN of the CPU benchmarks (docs/performance.md): conv3x3(w)-BN-ReLU, conv3x3(2w, stride 2)-BN-ReLU,
 * conv3x3(4w, stride 2)-BN-ReLU, global average pool, dense(numClasses). With w = 32 and 10
 * classes on RGB input it has 94,762 trainable parameters. Padding is PyTorch's `padding=1`;
 * convolutions have no bias because the batch norm after each one has β; batch norm and
 * initialisation follow PyTorch (see `createBatchNorm`, `pytorchUniformValues`).
 *
 * Inputs are pixels in `bounds` [0, 1], NHWC; there is no input normalisation, so attacks work in
 * pixel space. Because of the global pool, any height and width of at least 1 work, but the
 * channels must match `inputShape`.
 *
 * Variable names follow a PyTorch `state_dict` (`conv1.weight`, `bn1.running_mean`, `fc.bias`,
 * …), though weights are stored in TF.js layouts (HWIO kernels, `[in, out]` dense weights).
 *
 * @example
 * const model = createSmallCnn({ numClasses: 10, inputShape: [32, 32, 3], seed: 0 });
 * const logits = model.logits(images, { training: false }); // caller disposes logits
 */
export function createSmallCnn(options: SmallCnnOptions): Model {
  const { numClasses, inputShape, width = 32, seed } = options;
  const issues: OptionsIssue[] = [];
  if (!isPositiveInteger(numClasses)) issues.push({ path: 'numClasses', message: `must be a positive integer, got ${numClasses}` });
  if (inputShape.length !== 3 || !inputShape.every(isPositiveInteger)) {
    issues.push({ path: 'inputShape', message: `must be [height, width, channels] of positive integers, got [${inputShape.join(', ')}]` });
  }
  if (!isPositiveInteger(width)) issues.push({ path: 'width', message: `must be a positive integer, got ${width}` });
  if (issues.length > 0) throw new InvalidOptionsError('small-cnn options', issues);
  const channels = inputShape[2];

  const conv = (name: string, inputChannels: number, outputChannels: number, stride: number): Conv2d =>
    createConv2d({ inputChannels, outputChannels, kernelSize: 3, stride, padding: 1, bias: false, seed: deriveSeed(seed, name) });
  const conv1 = conv('conv1', channels, width, 1);
  const bn1 = createBatchNorm({ channels: width });
  const conv2 = conv('conv2', width, 2 * width, 2);
  const bn2 = createBatchNorm({ channels: 2 * width });
  const conv3 = conv('conv3', 2 * width, 4 * width, 2);
  const bn3 = createBatchNorm({ channels: 4 * width });
  const fc = createDense({ inputFeatures: 4 * width, outputFeatures: numClasses, seed: deriveSeed(seed, 'fc') });

  const blocks: readonly (readonly [Conv2d, BatchNorm])[] = [
    [conv1, bn1],
    [conv2, bn2],
    [conv3, bn3],
  ];
  const layers = [
    ['conv1', conv1],
    ['bn1', bn1],
    ['conv2', conv2],
    ['bn2', bn2],
    ['conv3', conv3],
    ['bn3', bn3],
    ['fc', fc],
  ] as const;
  // Built once: the order is the PyTorch `state_dict` order, stable across calls.
  const named: readonly NamedVariable[] = layers.flatMap(([prefix, layer]) =>
    layer.variables().map((entry) => ({ ...entry, name: `${prefix}.${entry.name}` })),
  );
  const trainable = named.filter((entry) => entry.trainable).map((entry) => entry.variable);
  let disposed = false;

  return {
    numClasses,
    inputShape: [inputShape[0], inputShape[1], channels],
    bounds: [0, 1],
    logits: (inputs, { training }) => {
      if (disposed) throw new Error('small-cnn: logits called after dispose()');
      if (inputs.rank !== 4 || inputs.shape[3] !== channels) {
        throw new RangeError(`small-cnn: expected NHWC inputs with ${channels} channel(s), got shape [${inputs.shape.join(', ')}]`);
      }
      return tf.tidy(() => {
        let features: tf.Tensor4D = inputs;
        for (const [convolution, norm] of blocks) features = tf.relu(norm.apply(convolution.apply(features), { training }));
        return fc.apply(tf.mean(features, [1, 2]) as tf.Tensor2D);
      });
    },
    trainableVariables: () => trainable,
    namedVariables: () => named,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      for (const [, layer] of layers) layer.dispose();
    },
  };
}
