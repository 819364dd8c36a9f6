import * as tf from '@tensorflow/tfjs-core';
import { stopGradient } from './stop-gradient.js';

/** The constant RSLAD/ABSLD add inside the teacher's log (docs/methods/conventions.md#klmean-the-rsladabsld-soft-label-loss). */
export const softLabelLogOffset = 1e-5;

/**
 * Per-sample RSLAD/ABSLD soft-label loss (docs/methods/conventions.md#klmean-the-rsladabsld-soft-label-loss):
 * `Σ_c q_c · (log(q_c + 1e-5) − log p_c) / C`, with `q = softmax(targetLogits)` (the teacher,
 * already divided by its temperature; passed through {@link stopGradient}, so neither the
 * teacher nor the temperature receives a gradient) and `p = softmax(logits)` (the
 * student at temperature 1). The batch mean of these values is exactly the reference
 * `KLmean(logsoftmax(s), q)`, the mean over all B·C elements, i.e. the batch-mean KL divided by
 * C up to the 1e-5 term; its gradient is the soft-label cross-entropy's, divided by C. Returns a
 * new [batch] tensor.
 */
export function softLabelKlMeanPerSample(targetLogits: tf.Tensor2D, logits: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const numClasses = logits.shape[1];
    const target = tf.softmax(stopGradient(targetLogits));
    const difference = tf.sub(tf.log(tf.add(target, softLabelLogOffset)), tf.logSoftmax(logits));
    return tf.div(tf.sum(tf.mul(target, difference), 1), numClasses) as tf.Tensor1D;
  });
}
