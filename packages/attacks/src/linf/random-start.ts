import type { AttackInit } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';

/** Standard deviation of the Gaussian start (TRADES, ALGORITHMS 1.2). */
export const gaussianStartScale = 0.001;

/**
 * The first iterate of an L∞ attack, as a new tensor owned by the caller.
 * - `none`: a copy of the inputs.
 * - `uniform`: x + U(−ε, ε) per sample, clipped to the model's bounds (ALGORITHMS 1.1).
 * - `gaussian`: x + 0.001·N(0, 1), NOT clipped before the first step (ALGORITHMS 1.2).
 *
 * @param epsilon per-sample radius already broadcast to [batch, 1, 1, 1].
 */
export function randomStart(
  inputs: tf.Tensor4D,
  epsilon: tf.Tensor4D,
  init: AttackInit,
  seed: number,
  bounds: readonly [lower: number, upper: number],
): tf.Tensor4D {
  return tf.tidy(() => {
    switch (init) {
      case 'none':
        return tf.clone(inputs);
      case 'uniform': {
        const noise = tf.mul(tf.randomUniform(inputs.shape, -1, 1, 'float32', seed), epsilon);
        return tf.clipByValue(tf.add(inputs, noise), bounds[0], bounds[1]) as tf.Tensor4D;
      }
      case 'gaussian': {
        const noise = tf.mul(tf.randomNormal(inputs.shape, 0, 1, 'float32', seed), gaussianStartScale);
        return tf.add(inputs, noise) as tf.Tensor4D;
      }
    }
  });
}
