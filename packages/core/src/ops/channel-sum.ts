import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-channel sum of an NHWC tensor, as a [1, C] matrix: ones[1, M] · x[M, C] with M = N·H·W.
 * A GEMM instead of Sum over axes [0, 1, 2], which TF.js backends run as a full transpose
 * followed by a reduction (the costliest part of a batch-norm step on wasm).
 */
export function channelSum(x: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const channels = x.shape[x.shape.length - 1] as number;
    const rows = x.size / channels;
    return tf.matMul(tf.ones([1, rows]), tf.reshape(x, [rows, channels]));
  });
}
