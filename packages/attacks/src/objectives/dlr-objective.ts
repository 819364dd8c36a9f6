import type { AttackObjective } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { labelLogit, rankedLogit, rankSelector, rankSelectors } from './rank-selectors.js';

/** The difference-of-logits-ratio needs z_π3, so at least 3 classes (auto-attack issue #70). */
export const dlrMinimumClasses = 3;
/** The targeted DLR needs z_π4, so at least 4 classes. */
export const targetedDlrMinimumClasses = 4;

function assertClasses(name: string, classes: number, minimum: number): void {
  if (classes < minimum) throw new RangeError(`${name} needs at least ${minimum} classes, but the model has ${classes}`);
}

/**
 * Untargeted DLR loss of APGD (Croce and Hein 2020; docs/methods/autoattack.md):
 * −(z_y − max_{i≠y} z_i) / (z_π1 − z_π3 + 1e-12), π sorting the logits in decreasing order.
 * Invariant to shifting and scaling the logits, which is why AutoAttack uses it. Throws when
 * the model has fewer than 3 classes.
 */
export const dlrObjective: AttackObjective = (logits, labels) => {
  assertClasses('dlr', logits.shape[1], dlrMinimumClasses);
  return tf.tidy(() => {
    const selectors = rankSelectors(logits, 3);
    const first = rankedLogit(selectors, logits, 0);
    const second = rankedLogit(selectors, logits, 1);
    const third = rankedLogit(selectors, logits, 2);
    // max_{i≠y} z_i is z_π2 when the label is ranked first, else z_π1 (the official `ind` trick).
    const labelIsFirst = tf.sum(tf.mul(rankSelector(selectors, 0), tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1])), 1);
    const largestOther = tf.add(tf.mul(second, labelIsFirst), tf.mul(first, tf.sub(1, labelIsFirst)));
    const numerator = tf.sub(labelLogit(logits, labels), largestOther);
    return tf.neg(tf.div(numerator, tf.add(tf.sub(first, third), 1e-12))) as tf.Tensor1D;
  });
};

/**
 * Targeted DLR loss of APGD-T (docs/methods/autoattack.md): −(z_y − z_t) / (z_π1 − (z_π3 + z_π4)/2 + 1e-12),
 * with t the per-sample target class. Throws when the model has fewer than 4 classes.
 *
 * @param targets int32 [batch] target classes, owned by the caller (kept alive while in use).
 */
export function createTargetedDlrObjective(targets: tf.Tensor1D): AttackObjective {
  return (logits, labels) => {
    assertClasses('targeted dlr', logits.shape[1], targetedDlrMinimumClasses);
    return tf.tidy(() => {
      const selectors = rankSelectors(logits, 4);
      const first = rankedLogit(selectors, logits, 0);
      const third = rankedLogit(selectors, logits, 2);
      const fourth = rankedLogit(selectors, logits, 3);
      const numerator = tf.sub(labelLogit(logits, labels), labelLogit(logits, targets));
      const denominator = tf.add(tf.sub(first, tf.mul(tf.add(third, fourth), 0.5)), 1e-12);
      return tf.neg(tf.div(numerator, denominator)) as tf.Tensor1D;
    });
  };
}
