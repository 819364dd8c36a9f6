import type { AttackInit } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';

/** The TRADES/RSLAD start: x + 0.001·N(0, 1), not clipped before the first step (docs/methods/conventions.md#the-trades-kl-attack-with-a-gaussian-start). */
export const gaussianStartScale = 0.001;

/** The threat model's norm: an L∞ box or an L2 ball around each input. */
export type AttackNorm = 'linf' | 'l2';

/** Attack norms, as written in options. */
export const attackNorms = ['linf', 'l2'] as const satisfies readonly AttackNorm[];

/** Small constant that keeps normalisations finite for a zero vector (as in torchattacks and AutoAttack). */
const tiny = 1e-12;

/** Reshapes a [batch] radius to [batch, 1, 1, 1] so it broadcasts over pixels. */
export function perSampleRadius(epsilon: tf.Tensor1D): tf.Tensor4D {
  return tf.tidy(() => tf.reshape(epsilon, [epsilon.shape[0], 1, 1, 1]) as tf.Tensor4D);
}

/** ‖t_i‖ per sample in the given norm, shape [batch, 1, 1, 1]. */
export function perSampleNorm(norm: AttackNorm, values: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const flat = tf.reshape(values, [values.shape[0], -1]);
    const norms = norm === 'linf' ? tf.max(tf.abs(flat), 1) : tf.sqrt(tf.sum(tf.square(flat), 1));
    return tf.reshape(norms, [values.shape[0], 1, 1, 1]) as tf.Tensor4D;
  });
}

/**
 * Projection onto each sample's own ε ball, then onto the pixel box (`Proj` in docs/methods/conventions.md).
 * L∞: clip to [x − ε, x + ε]. L2: δ·min(1, ε/‖δ‖₂). Clipping to the box afterwards only shrinks
 * |δ| coordinate-wise (x itself is inside the box), so the result stays inside the ball.
 */
export function projectOntoBall(
  norm: AttackNorm,
  candidate: tf.Tensor4D,
  inputs: tf.Tensor4D,
  radius: tf.Tensor4D,
  bounds: readonly [lower: number, upper: number],
): tf.Tensor4D {
  return tf.tidy(() => {
    let projected: tf.Tensor;
    if (norm === 'linf') {
      projected = tf.minimum(tf.maximum(candidate, tf.sub(inputs, radius)), tf.add(inputs, radius));
    } else {
      const delta = tf.sub(candidate, inputs);
      const length = perSampleNorm('l2', delta as tf.Tensor4D);
      const scale = tf.minimum(1, tf.div(radius, tf.add(length, tiny)));
      projected = tf.add(inputs, tf.mul(delta, scale));
    }
    return tf.clipByValue(projected, bounds[0], bounds[1]) as tf.Tensor4D;
  });
}

/**
 * The steepest-ascent direction of unit size for a gradient: sign(g) for L∞, g/‖g‖₂ per sample
 * for L2 (the normalised-gradient step of L2 PGD).
 */
export function ascentDirection(norm: AttackNorm, gradient: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() =>
    norm === 'linf'
      ? (tf.sign(gradient) as tf.Tensor4D)
      : (tf.div(gradient, tf.add(perSampleNorm('l2', gradient), tiny)) as tf.Tensor4D),
  );
}

/**
 * The first iterate, a new tensor owned by the caller.
 * - `none`: a copy of the inputs.
 * - `uniform`: L∞, x + U(−ε, ε) per pixel (docs/methods/conventions.md#pgd-with-cross-entropy-and-a-uniform-start-pgd-ce); L2, x + r·ε·n/‖n‖₂ with n ~ N(0, I)
 *   and r ~ U(0, 1) per sample (torchattacks PGDL2). Clipped to the bounds.
 * - `gaussian`: x + 0.001·N(0, 1), NOT clipped before the first step (docs/methods/conventions.md#the-trades-kl-attack-with-a-gaussian-start).
 */
export function startInBall(
  norm: AttackNorm,
  inputs: tf.Tensor4D,
  radius: tf.Tensor4D,
  init: AttackInit,
  seed: number,
  bounds: readonly [lower: number, upper: number],
): tf.Tensor4D {
  return tf.tidy(() => {
    switch (init) {
      case 'none':
        return tf.clone(inputs);
      case 'gaussian':
        return tf.add(inputs, tf.mul(tf.randomNormal(inputs.shape, 0, 1, 'float32', seed), gaussianStartScale)) as tf.Tensor4D;
      case 'uniform': {
        if (norm === 'linf') {
          const noise = tf.mul(tf.randomUniform(inputs.shape, -1, 1, 'float32', seed), radius);
          return tf.clipByValue(tf.add(inputs, noise), bounds[0], bounds[1]) as tf.Tensor4D;
        }
        const direction = tf.randomNormal(inputs.shape, 0, 1, 'float32', seed) as tf.Tensor4D;
        const fraction = tf.randomUniform([inputs.shape[0], 1, 1, 1], 0, 1, 'float32', seed + 1);
        const noise = tf.mul(tf.div(direction, tf.add(perSampleNorm('l2', direction), tiny)), tf.mul(fraction, radius));
        return tf.clipByValue(tf.add(inputs, noise), bounds[0], bounds[1]) as tf.Tensor4D;
      }
    }
  });
}

/**
 * APGD's start (docs/methods/autoattack.md): a point on the sphere of radius ε, x + ε·t/‖t‖ with t ~ U[−1, 1]
 * (L∞) or t ~ N(0, I) (L2), clipped to the bounds.
 */
export function startOnSphere(
  norm: AttackNorm,
  inputs: tf.Tensor4D,
  radius: tf.Tensor4D,
  seed: number,
  bounds: readonly [lower: number, upper: number],
): tf.Tensor4D {
  return tf.tidy(() => {
    const raw = (norm === 'linf'
      ? tf.randomUniform(inputs.shape, -1, 1, 'float32', seed)
      : tf.randomNormal(inputs.shape, 0, 1, 'float32', seed)) as tf.Tensor4D;
    const onSphere = tf.mul(tf.div(raw, tf.add(perSampleNorm(norm, raw), tiny)), radius);
    return tf.clipByValue(tf.add(inputs, onSphere), bounds[0], bounds[1]) as tf.Tensor4D;
  });
}
