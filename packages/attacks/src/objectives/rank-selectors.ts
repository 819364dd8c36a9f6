import * as tf from '@tensorflow/tfjs-core';

/**
 * One-hot selectors of the `count` largest logits per sample, shape [batch, count, classes]
 * (row r picks the (r+1)-th largest logit), carrying a ZERO gradient. tfjs has no gradient for
 * `TopK` or `Equal`, so the ranking is computed inside `customGrad`: the ranks are constants,
 * as they are in PyTorch's `sort` (whose gradient flows through the selected values only).
 * Multiplying the selectors with the logits and summing over classes gives the sorted logits
 * with their ordinary gradient (docs/methods/autoattack.md, DLR).
 */
export const rankSelectors: (logits: tf.Tensor2D, count: number) => tf.Tensor3D = (logits, count) => {
  const select = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const values = args[0] as tf.Tensor2D;
    return {
      value: tf.cast(tf.oneHot(tf.topk(values, count).indices, values.shape[1]), 'float32'),
      gradFunc: () => tf.zerosLike(values),
    };
  });
  return select(logits) as tf.Tensor3D;
};

/** The r-th largest logit per sample (r = 0 is the maximum), from {@link rankSelectors}; shape [batch]. */
export function rankedLogit(selectors: tf.Tensor3D, logits: tf.Tensor2D, rank: number): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(rankSelector(selectors, rank), logits), 1) as tf.Tensor1D);
}

/** Row `rank` of {@link rankSelectors}: the one-hot of the (rank+1)-th largest logit; shape [batch, classes]. */
export function rankSelector(selectors: tf.Tensor3D, rank: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch, , classes] = selectors.shape;
    return tf.reshape(tf.slice(selectors, [0, rank, 0], [batch, 1, classes]), [batch, classes]) as tf.Tensor2D;
  });
}

/** z_y per sample; shape [batch]. */
export function labelLogit(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]), logits), 1) as tf.Tensor1D);
}

/** max_{j≠y} z_j per sample; shape [batch]. The label's logit is replaced by −1e9 (finite, so gradients stay finite). */
export function largestOtherLogit(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const isLabel = tf.cast(tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]), 'bool');
    return tf.max(tf.where(isLabel, tf.fill(logits.shape, -1e9), logits), 1) as tf.Tensor1D;
  });
}

/** The classification margin z_y − max_{j≠y} z_j per sample (≤ 0 means misclassified up to ties); shape [batch]. */
export function classificationMargin(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.sub(labelLogit(logits, labels), largestOtherLogit(logits, labels)) as tf.Tensor1D);
}
