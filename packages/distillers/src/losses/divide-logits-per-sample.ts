import * as tf from '@tensorflow/tfjs-core';

/**
 * `logits[i, :] / temperature[i]`: per-sample temperature scaling ([batch, C] / [batch]), the
 * vectorised form of ABSLD's per-sample loop `zt[i] /= T[y_i]` (docs/methods/absld.md). The
 * caller gathers the class-wise temperatures by label. Returns a new [batch, C] tensor.
 */
export function divideLogitsPerSample(logits: tf.Tensor2D, temperature: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => tf.div(logits, tf.expandDims(temperature, 1)) as tf.Tensor2D);
}
