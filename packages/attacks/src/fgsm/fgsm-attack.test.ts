// tfjs-core alone registers no gradients; until the shared test setup does, tests that differentiate import them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { createAttackFixture, createLinearModel, describeAttack, recordTrainingFlags } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createFgsmAttack } from './fgsm-attack.js';

describeAttack('fgsm', () => createFgsmAttack());
describeAttack('fgsm (gaussian start)', () => createFgsmAttack({ init: 'gaussian' }));
describeAttack('fgsm (train mode)', () => createFgsmAttack({ modelMode: 'train' }), { modelMode: 'train' });

describe(createFgsmAttack, () => {
  it('steps by each sample’s own ε, then clips to the bounds', () => {
    // 1 pixel, 2 classes, labels 0: the CE gradient sign is −sign(w_0 − w_1) = −1, so x moves down by ε
    const model = createLinearModel({ weights: [[1, -1]], bias: [0, 0], inputShape: [1, 1, 1] });
    const inputs = tf.tensor4d([0.5, 0.5, 0.02], [3, 1, 1, 1]);
    const labels = tf.tensor1d([0, 0, 0], 'int32');
    const epsilon = tf.tensor1d([0.1, 0.03, 0.05]);
    const adversarial = createFgsmAttack().perturb({ model, inputs, labels, epsilon, seed: 0 });
    const values = Array.from(adversarial.dataSync());
    // 0.5 − 0.1, 0.5 − 0.03, and 0.02 − 0.05 clipped to the lower bound 0
    [0.4, 0.47, 0].forEach((expected, index) => expect(values[index]).toBeCloseTo(expected, 6));
    tf.dispose([inputs, labels, epsilon, adversarial]);
    model.dispose();
  });

  it('makes exactly one forward pass, in eval mode by default', () => {
    let flags: readonly boolean[] = [];
    const fixture = createAttackFixture(3, (model) => {
      const recording = recordTrainingFlags(model);
      flags = recording.flags;
      return recording.model;
    });
    createFgsmAttack().perturb(fixture.request).dispose();
    expect(flags).toEqual([false]);
    fixture.dispose();
  });
});
