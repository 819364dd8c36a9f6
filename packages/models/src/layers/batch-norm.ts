import type { NamedVariable } from '@robustfair/spec';
import { batchNormTraining } from '@robustfair/core';
import * as tf from '@tensorflow/tfjs-core';
import { createVariable } from './init.js';

/** Options of `createBatchNorm` (PyTorch `nn.BatchNorm2d`). */
export interface BatchNormOptions {
  readonly channels: number;
  /** Weight of the NEW batch statistic in the running average (PyTorch's convention). Default 0.1 (= Keras 0.9). */
  readonly momentum?: number;
  /** Added to the variance before the square root. Default 1e-5 (PyTorch; Keras uses 1e-3). */
  readonly epsilon?: number;
}

/** Batch normalisation over the channels of NHWC tensors. */
export interface BatchNorm {
  /** γ, trainable, initialised to 1. */
  readonly gamma: tf.Variable<tf.Rank.R1>;
  /** β, trainable, initialised to 0. */
  readonly beta: tf.Variable<tf.Rank.R1>;
  /** Not trainable, initialised to 0. */
  readonly runningMean: tf.Variable<tf.Rank.R1>;
  /** Not trainable, initialised to 1. */
  readonly runningVariance: tf.Variable<tf.Rank.R1>;
  /**
   * Returns a new tensor; never disposes `inputs`. `training: true` normalises with the batch
   * statistics and updates the running ones; `false` uses the running ones and changes nothing.
   */
  apply(inputs: tf.Tensor4D, options: { readonly training: boolean }): tf.Tensor4D;
  /** PyTorch names: `weight` (γ), `bias` (β), `running_mean`, `running_var`. */
  variables(): readonly NamedVariable[];
  dispose(): void;
}

/**
 * Batch norm with PyTorch's semantics, which differ from Keras' in three ways that matter when
 * reproducing papers or loading converted weights:
 *
 * - training normalises with the BIASED batch variance (divide by n = N·H·W), but updates the
 *   running variance with the UNBIASED one (n / (n − 1));
 * - running ← (1 − momentum) · running + momentum · batch, with momentum 0.1 on the new value;
 * - epsilon 1e-5.
 *
 * Gradients flow through the batch mean and variance, as in PyTorch. The running statistics are
 * updated by `assign` inside the forward pass; they are non-trainable, so optimisers and
 * `variableGrads` leave them alone.
 */
export function createBatchNorm(options: BatchNormOptions): BatchNorm {
  const { channels, momentum = 0.1, epsilon = 1e-5 } = options;
  const filled = (value: number) => new Float32Array(channels).fill(value);
  const gamma = createVariable<tf.Rank.R1>(filled(1), [channels], true);
  const beta = createVariable<tf.Rank.R1>(filled(0), [channels], true);
  const runningMean = createVariable<tf.Rank.R1>(filled(0), [channels], false);
  const runningVariance = createVariable<tf.Rank.R1>(filled(1), [channels], false);

  // Eval mode folds the statistics into one per-channel scale and shift on [C] vectors, so the
  // full-size activation sees two elementwise ops (and one in the backward pass) instead of four.
  const normaliseWithRunningStatistics = (inputs: tf.Tensor4D): tf.Tensor4D => {
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(runningVariance, epsilon)));
    const shift = tf.sub(beta, tf.mul(runningMean, scale));
    return tf.add(tf.mul(inputs, scale), shift);
  };

  return {
    gamma,
    beta,
    runningMean,
    runningVariance,
    apply: (inputs, { training }) =>
      tf.tidy(() => {
        if (!training) return normaliseWithRunningStatistics(inputs);
        const [batch, height, width] = inputs.shape;
        const count = batch * height * width;
        if (count < 2) {
          // PyTorch refuses too: an unbiased variance of one value is undefined.
          throw new RangeError(`batch norm in training mode needs more than 1 value per channel, got input shape [${inputs.shape.join(', ')}]`);
        }
        // One op with a closed-form backward and GEMM channel sums (core's batchNormTraining).
        const { output, mean, variance } = batchNormTraining(inputs, gamma, beta, epsilon);
        runningMean.assign(tf.add(tf.mul(runningMean, 1 - momentum), tf.mul(mean, momentum)));
        // PyTorch updates running_var with the unbiased batch variance, and normalises with the biased one.
        const unbiased = tf.mul(variance, count / (count - 1));
        runningVariance.assign(tf.add(tf.mul(runningVariance, 1 - momentum), tf.mul(unbiased, momentum)));
        tf.dispose([mean, variance]); // batchNormTraining hands them over kept
        return output;
      }),
    variables: () => [
      { name: 'weight', variable: gamma, trainable: true },
      { name: 'bias', variable: beta, trainable: true },
      { name: 'running_mean', variable: runningMean, trainable: false },
      { name: 'running_var', variable: runningVariance, trainable: false },
    ],
    dispose: () => {
      for (const variable of [gamma, beta, runningMean, runningVariance]) variable.dispose();
    },
  };
}
