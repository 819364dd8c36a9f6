import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-sample softmax cross-entropy on integer labels: −log softmax(z)_y. Shape [batch].
 * Uses logSoftmax for stability; never disposes its inputs.
 */
export function crossEntropyPerSample(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const logProbabilities = tf.logSoftmax(logits);
    const oneHot = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]);
    return tf.neg(tf.sum(tf.mul(oneHot, logProbabilities), 1)) as tf.Tensor1D;
  });
}

/**
 * Per-sample KL(target ‖ softmax(logits)) = Σ_c p_c (log p_c − log q_c), with `target` a
 * probability matrix. Terms with p_c = 0 contribute 0 (PyTorch KLDivLoss convention).
 */
export function klDivergencePerSample(target: tf.Tensor2D, logits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const logQ = tf.logSoftmax(logits);
    const safeLogP = tf.log(tf.maximum(target, 1e-30));
    const terms = tf.where(tf.greater(target, 0), tf.mul(target, tf.sub(safeLogP, logQ)), tf.zerosLike(target));
    return tf.sum(terms, 1) as tf.Tensor1D;
  });
}

/** 1 where argmax(logits) ≠ label, else 0 (float32, shape [batch]). */
export function errorIndicator(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.cast(tf.notEqual(tf.argMax(logits, 1), tf.cast(labels, 'int32')), 'float32') as tf.Tensor1D);
}
