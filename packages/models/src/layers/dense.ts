import { deriveSeed } from '@robustfair/core';
import type { NamedVariable } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { createVariable, pytorchUniformValues } from './init.js';

/** Options of `createDense` (PyTorch `nn.Linear`). */
export interface DenseOptions {
  readonly inputFeatures: number;
  readonly outputFeatures: number;
  /** Default true. */
  readonly bias?: boolean;
  /** Start the bias at 0 instead of U(±1/√inputFeatures) (the WideResNet classes of TRADES/RSLAD do). Default false. */
  readonly zeroBias?: boolean;
  /** Seeds the initialisation (weight and bias draw from streams derived from it). */
  readonly seed: number;
}

/** A fully connected layer, `x · W + b`. Variables are owned by the layer; `dispose` frees them. */
export interface Dense {
  /** `[inputFeatures, outputFeatures]` (PyTorch stores the transpose). */
  readonly weight: tf.Variable<tf.Rank.R2>;
  readonly bias?: tf.Variable<tf.Rank.R1>;
  /** Returns a new tensor; never disposes `inputs`. */
  apply(inputs: tf.Tensor2D): tf.Tensor2D;
  /** `weight` then `bias`, all trainable; names are relative. */
  variables(): readonly NamedVariable[];
  dispose(): void;
}

/** A linear layer with PyTorch's default initialisation U(±1/√inputFeatures) for weight and bias (bias 0 with `zeroBias`). */
export function createDense(options: DenseOptions): Dense {
  const { inputFeatures, outputFeatures, bias = true, zeroBias = false, seed } = options;
  const weight = createVariable<tf.Rank.R2>(
    pytorchUniformValues(inputFeatures * outputFeatures, inputFeatures, deriveSeed(seed, 'weight')),
    [inputFeatures, outputFeatures],
    true,
  );
  const biasVariable = bias
    ? createVariable<tf.Rank.R1>(
        zeroBias ? new Float32Array(outputFeatures) : pytorchUniformValues(outputFeatures, inputFeatures, deriveSeed(seed, 'bias')),
        [outputFeatures],
        true,
      )
    : undefined;
  return {
    weight,
    ...(biasVariable === undefined ? {} : { bias: biasVariable }),
    apply: (inputs) =>
      tf.tidy(() => {
        const product: tf.Tensor2D = tf.matMul(inputs, weight);
        return biasVariable === undefined ? product : tf.add<tf.Tensor2D>(product, biasVariable);
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
