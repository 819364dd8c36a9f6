import * as tf from '@tensorflow/tfjs-core';
import { imageMask } from './objective-gradient.js';

/** One attack run's outcome per sample; every tensor owned by whoever holds the record. */
export interface AttackOutcome {
  readonly adversarial: tf.Tensor4D;
  /** bool [batch]: the model misclassifies `adversarial`. */
  readonly fooled: tf.Tensor1D;
  /** float [batch]: the objective at `adversarial` (higher is stronger). */
  readonly loss: tf.Tensor1D;
}

/**
 * Merges two runs (restarts, targets) per sample: a misclassified point beats a correct one
 * (AutoAttack keeps any misclassified iterate, docs/methods/autoattack.md); between equals, the earlier run
 * wins unless the candidate's objective is strictly higher. Returns a new outcome and disposes
 * both arguments (they are intermediate results of the caller's own loop).
 */
export function keepStronger(current: AttackOutcome, candidate: AttackOutcome): AttackOutcome {
  const merged = tf.tidy(() => {
    const sameOutcome = tf.equal(current.fooled, candidate.fooled);
    const takeCandidate = tf.logicalOr(
      tf.logicalAnd(candidate.fooled, tf.logicalNot(current.fooled)),
      tf.logicalAnd(sameOutcome, tf.greater(candidate.loss, current.loss)),
    ) as tf.Tensor1D;
    return {
      adversarial: tf.where(imageMask(takeCandidate), candidate.adversarial, current.adversarial) as tf.Tensor4D,
      fooled: tf.logicalOr(current.fooled, candidate.fooled) as tf.Tensor1D,
      loss: tf.where(takeCandidate, candidate.loss, current.loss) as tf.Tensor1D,
    };
  });
  disposeOutcome(current);
  disposeOutcome(candidate);
  return merged;
}

/** Disposes the three tensors of an outcome. */
export function disposeOutcome(outcome: AttackOutcome): void {
  tf.dispose([outcome.adversarial, outcome.fooled, outcome.loss]);
}
