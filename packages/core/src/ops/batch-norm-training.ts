import * as tf from '@tensorflow/tfjs-core';
import { batchNormTrainingGradKernelName, batchNormTrainingKernelName } from '../kernels/kernel-names.js';
import { channelSum } from './channel-sum.js';

/** What a training-mode batch-norm gives: the output, and the batch statistics for the running averages. */
export interface BatchNormTrainingResult {
  readonly output: tf.Tensor4D;
  /** Batch mean per channel, [C]. */
  readonly mean: tf.Tensor1D;
  /** Biased batch variance per channel, [C] (what normalises; PyTorch's running_var takes the unbiased one). */
  readonly variance: tf.Tensor1D;
}

/**
 * Batch normalisation in training mode as one op with a closed-form backward (tf.customGrad):
 * y = γ·x̂ + β with x̂ = (x − μ)·rstd, rstd = 1/√(σ² + ε);
 * dβ = Σ dy, dγ = Σ dy·x̂, dx = γ·rstd/M · (M·dy − dβ − x̂·dγ), M = N·H·W.
 * Against the composed elementwise version this saves the transposing Sum/Mean reductions and
 * the Tile in tfjs-core's FusedBatchNorm gradient; every channel reduction goes through channelSum.
 * The statistics are returned for the running averages; they carry no gradient.
 */
export function batchNormTraining(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): BatchNormTrainingResult {
  if (tf.getKernel(batchNormTrainingKernelName, tf.getBackend())) return fusedBatchNormTraining(x, gamma, beta, epsilon);
  const [batch, height, width, channels] = x.shape;
  const count = batch * height * width;
  let statistics: { mean: tf.Tensor1D; variance: tf.Tensor1D } | undefined;
  const normalise = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, scale, offset, save] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const mean = tf.div(channelSum(input), count); // [1, C]
    const centered = tf.sub(input, mean);
    const variance = tf.div(channelSum(tf.square(centered)), count);
    const rstd = tf.rsqrt(tf.add(variance, epsilon));
    const normalised = tf.mul(centered, rstd);
    statistics = { mean: tf.keep(tf.reshape(mean, [channels])), variance: tf.keep(tf.reshape(variance, [channels])) };
    save([normalised, rstd, scale]);
    return {
      value: tf.add(tf.mul(normalised, scale), offset),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xHat, savedRstd, savedScale] = saved as [tf.Tensor4D, tf.Tensor2D, tf.Tensor1D];
        const dBeta = channelSum(dy); // [1, C]
        const dGamma = channelSum(tf.mul(dy, xHat));
        const dx = tf.mul(
          tf.mul(savedScale, tf.div(savedRstd, count)),
          tf.sub(tf.sub(tf.mul(dy, count), dBeta), tf.mul(xHat, dGamma)),
        );
        return [dx, tf.reshape(dGamma, [channels]), tf.reshape(dBeta, [channels])];
      },
    };
  });
  const output = normalise(x, gamma, beta) as tf.Tensor4D;
  const { mean, variance } = statistics as { mean: tf.Tensor1D; variance: tf.Tensor1D };
  return { output, mean, variance };
}

/**
 * The same op on a backend with fused kernels for both halves (wasm: @robustfair/backend-wasm, wasm/batch-norm.c,
 * two passes forward and two backward, sums in double). Same rules as above; x is saved instead of x̂.
 */
function fusedBatchNormTraining(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): BatchNormTrainingResult {
  let statistics: { mean: tf.Tensor1D; variance: tf.Tensor1D } | undefined;
  const normalise = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, scale, offset, save] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const [output, mean, variance, rstd] = tf.engine().runKernel(batchNormTrainingKernelName, { x: input, gamma: scale, beta: offset }, { epsilon }) as tf.Tensor[];
    statistics = { mean: tf.keep(mean as tf.Tensor1D), variance: tf.keep(variance as tf.Tensor1D) };
    save([input, scale, mean as tf.Tensor, rstd as tf.Tensor]);
    return {
      value: output as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedX, savedScale, savedMean, savedRstd] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        return tf.engine().runKernel(batchNormTrainingGradKernelName, { dy, x: savedX, gamma: savedScale, mean: savedMean, rstd: savedRstd }, {}) as tf.Tensor[];
      },
    };
  });
  const output = normalise(x, gamma, beta) as tf.Tensor4D;
  const { mean, variance } = statistics as { mean: tf.Tensor1D; variance: tf.Tensor1D };
  return { output, mean, variance };
}
