import type { AttackObjective } from '@robustfair/spec';
import { klDivergencePerSample } from '@robustfair/core';
import type * as tf from '@tensorflow/tfjs-core';

/**
 * An attack objective that pushes the prediction away from a target distribution: per-sample
 * KL(target ‖ softmax(logits)) (docs/methods/conventions.md#the-trades-kl-attack-with-a-gaussian-start; RSLAD/ABSLD use softmax(teacher / T) as target).
 * Labels are ignored.
 *
 * @param target probabilities, shape [batch, classes]. Owned by the caller, who must keep it
 *   alive while the objective is in use and dispose it afterwards.
 */
export function createKlToTargetObjective(target: tf.Tensor2D): AttackObjective {
  return (logits) => klDivergencePerSample(target, logits);
}
