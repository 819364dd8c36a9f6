import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createCwMarginObjective } from './cw-margin-objective.js';

describe(createCwMarginObjective, () => {
  // logits [3, 1, 2, 0]: for label 0 the margin is 3 − 2 = 1, for label 3 it is 0 − 3 = −3
  const logits = () => tf.tensor2d([[3, 1, 2, 0], [3, 1, 2, 0]]);
  const labels = () => tf.tensor1d([0, 3], 'int32');

  it('is −max(z_y − max_{j≠y} z_j + κ, 0) per sample', () => {
    const [z, y] = [logits(), labels()];
    expect(Array.from(createCwMarginObjective()(z, y).dataSync())).toEqual([-1, -0]);
    // κ = 50: −(1 + 50) and −(−3 + 50)
    expect(Array.from(createCwMarginObjective({ confidence: 50 })(z, y).dataSync())).toEqual([-51, -47]);
    tf.dispose([z, y]);
  });

  it('has gradient −(e_y − e_{j*}) while the clamp is active, 0 once the margin is below −κ', () => {
    const [z, y] = [logits(), labels()];
    const gradient = tf.grad((values: tf.Tensor) => tf.sum(createCwMarginObjective()(values as tf.Tensor2D, y)))(z);
    expect(gradient.arraySync()).toEqual([
      [-1, 0, 1, 0],
      [0, 0, 0, 0],
    ]);
    tf.dispose([z, y, gradient]);
  });

  it('rejects a negative κ', () => {
    expect(() => createCwMarginObjective({ confidence: -1 })).toThrow(/confidence/);
  });
});
