import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectNoTensorLeak } from '@robustfair/testkit';
import { createTargetedDlrObjective, dlrObjective } from './dlr-objective.js';

// logits [3, 1, 2, 0] sorted decreasingly: π = (0, 2, 1, 3), z_π1 = 3, z_π2 = 2, z_π3 = 1, z_π4 = 0.
const row = [3, 1, 2, 0];

describe('dlrObjective', () => {
  it('is −(z_y − max_{i≠y} z_i) / (z_π1 − z_π3) per sample', () => {
    const logits = tf.tensor2d([row, row, row]);
    const labels = tf.tensor1d([0, 3, 2], 'int32');
    const values = Array.from(dlrObjective(logits, labels).dataSync());
    // label 0 (ranked first): −(3 − 2)/2; label 3: −(0 − 3)/2; label 2: −(2 − 3)/2
    [-0.5, 1.5, 0.5].forEach((expected, index) => expect(values[index]).toBeCloseTo(expected, 6));
    tf.dispose([logits, labels]);
  });

  it('differentiates through the selected logits only (ranks are constants)', () => {
    // label 3: f = (z0 − z3)/(z0 − z1); ∂f/∂z0 = (z3 − z1)/(z0 − z1)² = −1/4,
    // ∂f/∂z1 = (z0 − z3)/(z0 − z1)² = 3/4, ∂f/∂z2 = 0, ∂f/∂z3 = −1/(z0 − z1) = −1/2
    const logits = tf.tensor2d([row]);
    const labels = tf.tensor1d([3], 'int32');
    const gradient = tf.grad((values: tf.Tensor) => tf.sum(dlrObjective(values as tf.Tensor2D, labels)))(logits);
    const expected = [-0.25, 0.75, 0, -0.5];
    Array.from(gradient.dataSync()).forEach((value, index) => expect(value).toBeCloseTo(expected[index] ?? Number.NaN, 5));
    tf.dispose([logits, labels, gradient]);
  });

  it('needs three classes', () => {
    const logits = tf.tensor2d([[1, 2]]);
    const labels = tf.tensor1d([0], 'int32');
    expect(() => dlrObjective(logits, labels)).toThrow('dlr needs at least 3 classes, but the model has 2');
    tf.dispose([logits, labels]);
  });
});

describe(createTargetedDlrObjective, () => {
  it('is −(z_y − z_t) / (z_π1 − (z_π3 + z_π4)/2) and leaks nothing', async () => {
    const logits = tf.tensor2d([row, row]);
    const labels = tf.tensor1d([0, 2], 'int32');
    const targets = tf.tensor1d([3, 1], 'int32');
    const objective = createTargetedDlrObjective(targets);
    await expectNoTensorLeak(() => {
      const result = objective(logits, labels);
      const values = Array.from(result.dataSync());
      result.dispose();
      // denominator 3 − (1 + 0)/2 = 2.5; −(3 − 0)/2.5 and −(2 − 1)/2.5
      [-1.2, -0.4].forEach((expected, index) => expect(values[index]).toBeCloseTo(expected, 6));
    });
    tf.dispose([logits, labels, targets]);
  });

  it('needs four classes', () => {
    const logits = tf.tensor2d([[1, 2, 3]]);
    const labels = tf.tensor1d([0], 'int32');
    const targets = tf.tensor1d([1], 'int32');
    expect(() => createTargetedDlrObjective(targets)(logits, labels)).toThrow('targeted dlr needs at least 4 classes, but the model has 3');
    tf.dispose([logits, labels, targets]);
  });
});
