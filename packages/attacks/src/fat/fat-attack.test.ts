import { createLinearModel, describeAttack } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createFatAttack } from './fat-attack.js';

describeAttack('fat', () => createFatAttack({ steps: 4, budget: 1 }));
describeAttack('fat (official rule, noise)', () => createFatAttack({ steps: 3, budget: 0, freezeRule: 'misclassified', noise: 0.001 }));
describeAttack('fat (train mode)', () => createFatAttack({ steps: 2, modelMode: 'train' }), { modelMode: 'train' });

describe(createFatAttack, () => {
  // 1 pixel, 2 classes, w = (1, −1), b = (−0.55, 0.55): class 0 wins iff x > 0.55; label 0, x = 0.6.
  // The CE gradient always pushes x down by the step, 0.02 per step, from x = 0.6 (no start).
  const run = (options: Parameters<typeof createFatAttack>[0]) => {
    const model = createLinearModel({ weights: [[1, -1]], bias: [-0.55, 0.55], inputShape: [1, 1, 1] });
    const inputs = tf.tensor4d([0.6], [1, 1, 1, 1]);
    const labels = tf.tensor1d([0], 'int32');
    const epsilon = tf.tensor1d([0.2]);
    const adversarial = createFatAttack({ init: 'none', stepSize: 0.02, ...options }).perturb({ model, inputs, labels, epsilon, seed: 0 });
    const value = adversarial.dataSync()[0];
    tf.dispose([inputs, labels, epsilon, adversarial]);
    model.dispose();
    return value;
  };

  it('official rule: stops at the first misclassified point when the budget is 0', () => {
    // 0.6 → 0.58 → 0.56 → 0.54 (misclassified, 3 steps); then frozen for the remaining 7
    expect(run({ steps: 10, budget: 0, freezeRule: 'misclassified' })).toBeCloseTo(0.54, 5);
  });

  it('official rule: τ more steps are spent past the boundary', () => {
    // misclassified at 0.54 with budget 2 → 0.52 (budget 1) → 0.50 (budget 0) → frozen at 0.50
    expect(run({ steps: 10, budget: 2, freezeRule: 'misclassified' })).toBeCloseTo(0.5, 5);
  });

  it('CFA rule: a sample with no budget is frozen even while correct', () => {
    // budget 0 from the start: frozen before the first step
    expect(run({ steps: 10, budget: 0, freezeRule: 'budget-exhausted' })).toBeCloseTo(0.6, 5);
  });

  it('with a budget larger than the steps it is plain PGD', () => {
    // 10 steps of 0.02 → 0.4, inside the ε = 0.2 ball
    expect(run({ steps: 10, budget: 20 })).toBeCloseTo(0.4, 5);
  });
});
