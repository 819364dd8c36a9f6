import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { crossEntropyObjective } from './cross-entropy-objective.js';

describe('crossEntropyObjective', () => {
  it('is −log softmax(z)_y per sample', () => {
    const logits = tf.tensor2d([
      [2, 0, -1],
      [0, 0, 0],
      [1, 3, 0.5],
    ]);
    const labels = tf.tensor1d([0, 2, 0], 'int32');
    const values = crossEntropyObjective(logits, labels).arraySync();
    // −z_y + log Σ_c exp(z_c), by hand
    const expected = [
      -2 + Math.log(Math.exp(2) + 1 + Math.exp(-1)),
      Math.log(3),
      -1 + Math.log(Math.exp(1) + Math.exp(3) + Math.exp(0.5)),
    ];
    values.forEach((value, index) => expect(value).toBeCloseTo(expected[index] ?? Number.NaN, 5));
    tf.dispose([logits, labels]);
  });
});
