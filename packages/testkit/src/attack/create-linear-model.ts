import type { Model, NamedVariable } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link createLinearModel}. */
export interface LinearModelOptions {
  /** [features, classes]; features = height·width·channels, in row-major NHWC order. */
  readonly weights: readonly (readonly number[])[];
  /** [classes]. */
  readonly bias: readonly number[];
  readonly inputShape: readonly [height: number, width: number, channels: number];
  /** Default [0, 1]. */
  readonly bounds?: readonly [lower: number, upper: number];
}

/**
 * A linear classifier, logits = flatten(x)·W + b, for tests with exact expected values (its
 * input gradient is known in closed form). It ignores `training`. Owns two variables; call
 * `dispose()` when done.
 */
export function createLinearModel(options: LinearModelOptions): Model {
  const [height, width, channels] = options.inputShape;
  const features = height * width * channels;
  const numClasses = options.bias.length;
  if (options.weights.length !== features || options.weights.some((row) => row.length !== numClasses)) {
    throw new RangeError(`createLinearModel: weights must be [${features}, ${numClasses}] (features × classes)`);
  }
  const weights = tf.variable(tf.tidy(() => tf.tensor2d(options.weights.map((row) => [...row]), [features, numClasses])));
  const bias = tf.variable(tf.tidy(() => tf.tensor1d([...options.bias])));
  const named: readonly NamedVariable[] = [
    { name: 'linear/weights', variable: weights, trainable: true },
    { name: 'linear/bias', variable: bias, trainable: true },
  ];
  return {
    numClasses,
    inputShape: options.inputShape,
    bounds: options.bounds ?? [0, 1],
    logits: (inputs) =>
      tf.tidy(() => tf.add(tf.matMul(tf.reshape(inputs, [inputs.shape[0], features]), weights), bias) as tf.Tensor2D),
    trainableVariables: () => [weights, bias],
    namedVariables: () => named,
    dispose: () => {
      weights.dispose();
      bias.dispose();
    },
  };
}
