import { createLinearModel, describeAttack } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createPgdL2Attack } from './pgd-l2-attack.js';

describeAttack('pgd-l2 (uniform start)', () => createPgdL2Attack({ steps: 3, stepSize: 0.05 }));
describeAttack('pgd-l2 (gaussian start, 2 restarts)', () => createPgdL2Attack({ steps: 2, stepSize: 0.05, init: 'gaussian', restarts: 2 }));

describe(createPgdL2Attack, () => {
  // 2 pixels, 2 classes, label 0: ∂CE/∂x = −(1 − p_0)(w_0 − w_1) ∝ −(2, 4), unit direction −(1, 2)/√5
  const setup = () => ({
    model: createLinearModel({ weights: [[1, -1], [2, -2]], bias: [0, 0], inputShape: [1, 2, 1] }),
    inputs: tf.tensor4d([0.5, 0.5], [1, 1, 2, 1]),
    labels: tf.tensor1d([0], 'int32'),
    epsilon: tf.tensor1d([0.1]),
  });

  it('steps stepSize along the normalised gradient', () => {
    const { model, inputs, labels, epsilon } = setup();
    const adversarial = createPgdL2Attack({ steps: 1, stepSize: 0.05, init: 'none' }).perturb({ model, inputs, labels, epsilon, seed: 0 });
    const [first, second] = Array.from(adversarial.dataSync());
    expect(first).toBeCloseTo(0.5 - 0.05 / Math.sqrt(5), 6);
    expect(second).toBeCloseTo(0.5 - 0.1 / Math.sqrt(5), 6);
    tf.dispose([inputs, labels, epsilon, adversarial]);
    model.dispose();
  });

  it('projects radially back onto the L2 ball of radius ε', () => {
    const { model, inputs, labels, epsilon } = setup();
    // 5 × 0.05 = 0.25 along −(1, 2)/√5, scaled back to length 0.1
    const adversarial = createPgdL2Attack({ steps: 5, stepSize: 0.05, init: 'none' }).perturb({ model, inputs, labels, epsilon, seed: 0 });
    const [first, second] = Array.from(adversarial.dataSync());
    expect(first).toBeCloseTo(0.5 - 0.1 / Math.sqrt(5), 5);
    expect(second).toBeCloseTo(0.5 - 0.2 / Math.sqrt(5), 5);
    tf.dispose([inputs, labels, epsilon, adversarial]);
    model.dispose();
  });

  it('has id pgd-l2 and norm l2', () => {
    const attack = createPgdL2Attack();
    expect([attack.id, attack.norm]).toEqual(['pgd-l2', 'l2']);
  });
});
