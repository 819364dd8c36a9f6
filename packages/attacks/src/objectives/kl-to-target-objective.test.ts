import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectNoTensorLeak } from '@robustfair/testkit';
import { createKlToTargetObjective } from './kl-to-target-objective.js';

/** KL(p ‖ softmax(z)) in float64, terms with p_c = 0 contribute 0. */
function klByHand(p: readonly number[], z: readonly number[]): number {
  const logNormaliser = Math.log(z.reduce((sum, value) => sum + Math.exp(value), 0));
  return p.reduce((sum, pc, c) => (pc === 0 ? sum : sum + pc * (Math.log(pc) - ((z[c] ?? 0) - logNormaliser))), 0);
}

describe(createKlToTargetObjective, () => {
  const targetValues = [
    [0.5, 0.5, 0],
    [0.2, 0.3, 0.5],
  ];
  const logitValues = [
    [1, -1, 2],
    [0.5, 0.5, 0.5],
  ];

  it('is KL(target ‖ softmax(logits)) per sample and ignores the labels', () => {
    const target = tf.tensor2d(targetValues);
    const logits = tf.tensor2d(logitValues);
    const labels = tf.tensor1d([2, 1], 'int32');
    const values = createKlToTargetObjective(target)(logits, labels).arraySync();
    values.forEach((value, index) => expect(value).toBeCloseTo(klByHand(targetValues[index]!, logitValues[index]!), 5));
    tf.dispose([target, logits, labels]);
  });

  it('is zero when the prediction equals the target and leaves the target alive', async () => {
    const logits = tf.tensor2d(logitValues);
    const target = tf.softmax(logits) as tf.Tensor2D;
    const labels = tf.tensor1d([0, 0], 'int32');
    const objective = createKlToTargetObjective(target);
    await expectNoTensorLeak(() => {
      const values = objective(logits, labels);
      values.arraySync().forEach((value) => expect(value).toBeCloseTo(0, 6));
      values.dispose();
    });
    expect(target.isDisposed).toBe(false);
    tf.dispose([target, logits, labels]);
  });
});
