import * as tf from '@tensorflow/tfjs-core';

/**
 * A copy of `tensor` whose gradient is zero: PyTorch's `.detach()` / TF's `stop_gradient`,
 * which tfjs-core does not have (HOUSE-STYLE B6). Distillers pass teacher logits (and the
 * temperatures that scale them) through it, so the teacher never receives a gradient even when
 * its logits are computed inside a differentiated closure (docs/methods/rslad.md, docs/methods/ard.md: the teacher is
 * frozen). Returns a new tensor owned by the caller; never disposes its input. The custom
 * gradient is built per call, so importing this module touches no tfjs engine.
 */
export function stopGradient<T extends tf.Tensor>(tensor: T): T {
  const identityWithoutGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input] = args as [tf.Tensor];
    return { value: tf.clone(input), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
  });
  return identityWithoutGradient(tensor) as T;
}
