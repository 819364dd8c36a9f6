import type { TrainingObjective } from '@robustfair/spec';
import { crossEntropyPerSample } from '@robustfair/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * SAT / PGD adversarial training (Madry et al. 2018; docs/methods/sat.md): the loss is the
 * cross-entropy of the student's adversarial logits, `CE(f(x'), y)`, with `x'` from PGD-CE
 * (docs/methods/conventions.md#pgd-with-cross-entropy-and-a-uniform-start-pgd-ce). SAT has no clean term, so `natural` is zeros [batch] and its coefficient
 * is 0; the loop may skip the natural forward (`needsNaturalLogits: false`). No
 * `attackObjective`: the attack's own cross-entropy is used.
 */
export function createSatObjective(): TrainingObjective {
  return {
    specificationVersion: 'v1',
    id: 'sat',
    coefficients: { natural: 0, robust: 1 },
    forwardOrder: 'adversarial-first',
    needsNaturalLogits: false,
    loss: ({ labels, student }) => ({
      natural: tf.zeros([student.adversarial.shape[0]]) as tf.Tensor1D,
      robust: crossEntropyPerSample(student.adversarial, labels),
    }),
  };
}
