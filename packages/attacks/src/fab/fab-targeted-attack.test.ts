import { createAttackFixture, createLinearModel, describeAttack } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createFabTargetedAttack } from './fab-targeted-attack.js';

describeAttack('fab-t', () => createFabTargetedAttack({ steps: 5, targets: 2 }), { classes: 5, usesObjective: false });

describe(createFabTargetedAttack, () => {
  it('finds the minimal L∞ adversarial point of a linear model within a few steps', () => {
    // 2 pixels, 2 classes, w_0 − w_1 = (2, 2), b_0 − b_1 = −2: class 0 iff x1 + x2 > 1.
    // From (0.6, 0.6) the closest boundary point in L∞ is (0.5, 0.5): distance 0.1.
    const model = createLinearModel({ weights: [[1, -1], [1, -1]], bias: [-1, 1], inputShape: [1, 2, 1] });
    const inputs = tf.tensor4d([0.6, 0.6, 0.6, 0.6], [2, 1, 2, 1]);
    const labels = tf.tensor1d([0, 0], 'int32');
    // sample 0 may move 0.12 ≥ 0.1 (broken), sample 1 only 0.08 (robust: clean input returned)
    const epsilon = tf.tensor1d([0.12, 0.08]);
    const adversarial = createFabTargetedAttack({ steps: 10, targets: 1 }).perturb({ model, inputs, labels, epsilon, seed: 0 });
    const [a, b, c, d] = Array.from(adversarial.dataSync());
    // overshoot 1.05 lands just past the boundary, at ≈ 0.6 − 0.105; later steps only move closer
    expect(Math.max(Math.abs(0.6 - (a ?? 0)), Math.abs(0.6 - (b ?? 0)))).toBeGreaterThanOrEqual(0.1);
    expect(Math.max(Math.abs(0.6 - (a ?? 0)), Math.abs(0.6 - (b ?? 0)))).toBeLessThanOrEqual(0.106);
    expect((a ?? 1) + (b ?? 1)).toBeLessThan(1);
    expect([c, d]).toEqual([Math.fround(0.6), Math.fround(0.6)]);
    tf.dispose([inputs, labels, epsilon, adversarial]);
    model.dispose();
  });

  it('rejects more targets than numClasses − 1, naming both', () => {
    const fixture = createAttackFixture(0);
    expect(() => createFabTargetedAttack({ steps: 1, targets: 3 }).perturb(fixture.request)).toThrow(
      'fab-t: targets (3) must be at most numClasses − 1 (2); the model has 3 classes',
    );
    fixture.dispose();
  });
});
