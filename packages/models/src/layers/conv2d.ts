import { deriveSeed } from '@robustfair/core';
import type { NamedVariable } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { createVariable, normalFanOutValues, pytorchUniformValues } from './init.js';

/** Zero padding per edge, for the few architectures that pad asymmetrically (TF's `SAME` with stride 2). */
export interface EdgePadding {
  readonly top: number;
  readonly bottom: number;
  readonly left: number;
  readonly right: number;
}

/**
 * How conv weights are drawn. `'uniform-fan-in'`: PyTorch's default U(±1/√fanIn).
 * `'normal-fan-out'`: N(0, √(2 / (k² · outputChannels))), the override in the WideResNet classes
 * of TRADES/RSLAD (docs/methods/conventions.md).
 */
export type ConvolutionInitialisation = 'uniform-fan-in' | 'normal-fan-out';

/** Options of `createConv2d`; the PyTorch `nn.Conv2d` arguments under full-word names. */
export interface Conv2dOptions {
  readonly inputChannels: number;
  readonly outputChannels: number;
  /** Square kernel side. */
  readonly kernelSize: number;
  /** Default 1. */
  readonly stride?: number;
  /** Zero padding added on every side, as PyTorch's `padding=p`, or per edge. Default 0. */
  readonly padding?: number | EdgePadding;
  /** Default true; false when a batch norm follows (its β makes a bias redundant). */
  readonly bias?: boolean;
  /** Default `'uniform-fan-in'` (PyTorch); the bias, if any, is always U(±1/√fanIn). */
  readonly weightInitialisation?: ConvolutionInitialisation;
  /** Seeds the initialisation (weight and bias draw from streams derived from it). */
  readonly seed: number;
}

/** A 2-D convolution over NHWC tensors. Variables are owned by the layer; `dispose` frees them. */
export interface Conv2d {
  /** HWIO: `[kernelSize, kernelSize, inputChannels, outputChannels]` (PyTorch stores OIHW). */
  readonly weight: tf.Variable<tf.Rank.R4>;
  readonly bias?: tf.Variable<tf.Rank.R1>;
  /** Returns a new tensor; never disposes `inputs`. */
  apply(inputs: tf.Tensor4D): tf.Tensor4D;
  /** `weight` then `bias`, all trainable; names are relative (`weight`, `bias`). */
  variables(): readonly NamedVariable[];
  dispose(): void;
}

/**
 * A convolution with PyTorch semantics: explicit symmetric zero padding
 * `[[0,0],[p,p],[p,p],[0,0]]` rather than TF's `'same'`, because `'same'` with stride 2 on an
 * even input pads only the bottom/right edge, which shifts every output by half a pixel
 * relative to PyTorch's `padding=1`. Output side: ⌊(in + 2p − k) / stride⌋ + 1.
 *
 * Initialisation: PyTorch's default, U(±1/√fanIn) with fanIn = inputChannels · k², for the
 * weight and the bias.
 */
export function createConv2d(options: Conv2dOptions): Conv2d {
  const { inputChannels, outputChannels, kernelSize, stride = 1, padding = 0, bias = true, weightInitialisation = 'uniform-fan-in', seed } = options;
  const fanIn = inputChannels * kernelSize * kernelSize;
  const weightShape: [number, number, number, number] = [kernelSize, kernelSize, inputChannels, outputChannels];
  const weightSeed = deriveSeed(seed, 'weight');
  const weight = createVariable<tf.Rank.R4>(
    weightInitialisation === 'normal-fan-out'
      ? normalFanOutValues(fanIn * outputChannels, kernelSize * kernelSize * outputChannels, weightSeed)
      : pytorchUniformValues(fanIn * outputChannels, fanIn, weightSeed),
    weightShape,
    true,
  );
  const biasVariable = bias
    ? createVariable<tf.Rank.R1>(pytorchUniformValues(outputChannels, fanIn, deriveSeed(seed, 'bias')), [outputChannels], true)
    : undefined;
  const pad = explicitPadding(padding);
  return {
    weight,
    ...(biasVariable === undefined ? {} : { bias: biasVariable }),
    apply: (inputs) =>
      tf.tidy(() => {
        const convolved = tf.conv2d(inputs, weight, stride, pad);
        return biasVariable === undefined ? convolved : tf.add<tf.Tensor4D>(convolved, biasVariable);
      }),
    variables: () => [
      { name: 'weight', variable: weight, trainable: true },
      ...(biasVariable === undefined ? [] : [{ name: 'bias', variable: biasVariable, trainable: true }]),
    ],
    dispose: () => {
      weight.dispose();
      biasVariable?.dispose();
    },
  };
}

/** TF.js explicit NHWC padding from a PyTorch-style symmetric `p` or per-edge amounts. */
export function explicitPadding(
  padding: number | EdgePadding,
): [[number, number], [number, number], [number, number], [number, number]] {
  const { top, bottom, left, right } = typeof padding === 'number' ? { top: padding, bottom: padding, left: padding, right: padding } : padding;
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}
