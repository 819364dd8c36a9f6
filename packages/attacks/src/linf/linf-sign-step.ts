import type { AttackObjective, Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';

/** What one signed-gradient step needs besides the current iterate. Tensors are borrowed. */
export interface LinfSignStepContext {
  readonly model: Model;
  readonly labels: tf.Tensor1D;
  readonly objective: AttackObjective;
  readonly training: boolean;
  /** Step size: a number, or a tensor broadcastable to the inputs (FGSM: ε as [batch, 1, 1, 1]). */
  readonly stepSize: number | tf.Tensor;
  /** x − ε and x + ε, [batch, height, width, channels]: the per-sample ε ball. */
  readonly ballLower: tf.Tensor4D;
  readonly ballUpper: tf.Tensor4D;
  readonly bounds: readonly [lower: number, upper: number];
}

/**
 * One L∞ ascent step: x' ← clip(clip(x' + stepSize·sign(∇x' Σ objective), x − ε, x + ε), lower, upper)
 * (`Proj` in docs/methods/conventions.md: the ε ball first, then the pixel box). The gradient is taken with
 * respect to the input only; no weight gradient is computed. Returns a new tensor owned by the
 * caller; every intermediate tensor is freed.
 */
export function linfSignStep(adversarial: tf.Tensor4D, context: LinfSignStepContext): tf.Tensor4D {
  return tf.tidy(() => {
    const totalObjective = (candidate: tf.Tensor): tf.Scalar =>
      tf.sum(context.objective(context.model.logits(candidate as tf.Tensor4D, { training: context.training }), context.labels));
    const gradient = tf.grad(totalObjective)(adversarial);
    const stepped = tf.add(adversarial, tf.mul(tf.sign(gradient), context.stepSize));
    return projectLinf(stepped, context.ballLower, context.ballUpper, context.bounds);
  });
}

/** clip(clip(x, x0 − ε, x0 + ε), lower, upper): the ε ball first, then the pixel box (docs/methods/conventions.md). */
export function projectLinf(
  candidate: tf.Tensor,
  ballLower: tf.Tensor4D,
  ballUpper: tf.Tensor4D,
  bounds: readonly [lower: number, upper: number],
): tf.Tensor4D {
  return tf.tidy(
    () => tf.clipByValue(tf.minimum(tf.maximum(candidate, ballLower), ballUpper), bounds[0], bounds[1]) as tf.Tensor4D,
  );
}
