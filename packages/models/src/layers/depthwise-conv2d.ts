import { deriveSeed } from '@robustfair/core';
import type { NamedVariable } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { type EdgePadding, explicitPadding } from './conv2d.js';
import { createVariable, pytorchUniformValues } from './init.js';

/** Options of `createDepthwiseConv2d`: PyTorch `nn.Conv2d(C, C, k, groups=C, bias=False)`. */
export interface DepthwiseConv2dOptions {
  readonly channels: number;
  /** Square kernel side. */
  readonly kernelSize: number;
  /** Default 1. */
  readonly stride?: number;
  /** As PyTorch's `padding=p` (every side), or per edge. Default 0. */
  readonly padding?: number | EdgePadding;
  /** Seeds the initialisation. */
  readonly seed: number;
}

/** A depthwise (one filter per channel, multiplier 1) convolution over NHWC tensors, without bias. */
export interface DepthwiseConv2d {
  /** `[kernelSize, kernelSize, channels, 1]` (PyTorch stores `[channels, 1, kernelSize, kernelSize]`). */
  readonly weight: tf.Variable<tf.Rank.R4>;
  /** Returns a new tensor; never disposes `inputs`. */
  apply(inputs: tf.Tensor4D): tf.Tensor4D;
  /** `weight`, trainable. */
  variables(): readonly NamedVariable[];
  dispose(): void;
}

/**
 * Depthwise convolution with `tf.depthwiseConv2d` and PyTorch's explicit padding. PyTorch's
 * default initialisation of a grouped conv uses fanIn = (inputChannels / groups) · k² = k², so
 * weights are U(±1/k).
 */
export function createDepthwiseConv2d(options: DepthwiseConv2dOptions): DepthwiseConv2d {
  const { channels, kernelSize, stride = 1, padding = 0, seed } = options;
  const fanIn = kernelSize * kernelSize;
  const weight = createVariable<tf.Rank.R4>(
    pytorchUniformValues(fanIn * channels, fanIn, deriveSeed(seed, 'weight')),
    [kernelSize, kernelSize, channels, 1],
    true,
  );
  const pad = explicitPadding(padding);
  return {
    weight,
    apply: (inputs) => tf.depthwiseConv2d(inputs, weight, stride, pad),
    variables: () => [{ name: 'weight', variable: weight, trainable: true }],
    dispose: () => weight.dispose(),
  };
}
