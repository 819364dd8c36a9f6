// tfjs-core alone registers no gradients; until the shared test setup does, tests that differentiate import them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { klDivergenceBetweenLogits } from './kl-divergence-between-logits.js';

describe(klDivergenceBetweenLogits, () => {
  it('is finite and non-negative even when a target probability underflows to 0', () => {
    // softmax([200, 0]) = [1, e^−200]; e^−200 underflows to 0 in float32
    const target = tf.tensor2d([[200, 0]]);
    const logits = tf.tensor2d([[1, 0]]);
    const value = klDivergenceBetweenLogits(target, logits).dataSync()[0]!;
    // p = [1, 0]: KL = −log q_0 = log(1 + e^−1)
    expect(value).toBeCloseTo(Math.log(1 + Math.exp(-1)), 5);
    const gradient = tf.grad((a: tf.Tensor) => tf.sum(klDivergenceBetweenLogits(a as tf.Tensor2D, logits)))(target);
    expect(Array.from(gradient.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([target, logits, gradient]);
  });
});
