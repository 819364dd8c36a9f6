import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-sample KL(softmax(targetLogits) ‖ softmax(logits)) = Σ_c p_c (log p_c − log q_c), from
 * log-softmaxes on both sides. Differentiable in BOTH arguments: core's
 * `klDivergencePerSample(target, logits)` masks p_c = 0 with `tf.greater`, which has no
 * gradient in tfjs, so it cannot be differentiated with respect to its target. Here p_c = 0
 * (underflow) gives p_c·(finite) = 0, so no mask is needed. Returns a new [batch] tensor.
 */
export function klDivergenceBetweenLogits(targetLogits: tf.Tensor2D, logits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const logP = tf.logSoftmax(targetLogits);
    return tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, tf.logSoftmax(logits))), 1) as tf.Tensor1D;
  });
}
