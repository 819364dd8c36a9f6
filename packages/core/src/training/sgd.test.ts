import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createSgdOptimizer } from './sgd.js';

describe(createSgdOptimizer, () => {
  it('follows PyTorch SGD: g += wd·w, v = μ·v + g (v = g first), w -= lr·v', () => {
    const weight = tf.variable(tf.tensor1d([1, -2]), true, 'sgd-test/w');
    const sgd = createSgdOptimizer([weight], { learningRate: 0.1, momentum: 0.9, weightDecay: 0.5, nesterov: false });
    const learningRate = tf.scalar(0.1);
    const gradient = tf.tensor1d([0.2, 0.4]);
    // Step 1 by hand: g = [0.2 + 0.5·1, 0.4 + 0.5·(−2)] = [0.7, −0.6]; v = g; w = [1 − 0.07, −2 + 0.06].
    sgd.step({ 'sgd-test/w': gradient }, learningRate);
    const afterOne = Array.from(weight.dataSync());
    expect(afterOne[0]).toBeCloseTo(0.93, 6);
    expect(afterOne[1]).toBeCloseTo(-1.94, 6);
    // Step 2: g = [0.2 + 0.465, 0.4 − 0.97] = [0.665, −0.57]; v = 0.9·[0.7, −0.6] + g = [1.295, −1.11].
    sgd.step({ 'sgd-test/w': gradient }, learningRate);
    const afterTwo = Array.from(weight.dataSync());
    expect(afterTwo[0]).toBeCloseTo(0.93 - 0.1295, 6);
    expect(afterTwo[1]).toBeCloseTo(-1.94 + 0.111, 6);
    sgd.dispose();
    tf.dispose([weight, learningRate, gradient]);
  });

  it('applies Nesterov as w -= lr·(g + μ·v)', () => {
    const weight = tf.variable(tf.tensor1d([1]), true, 'sgd-test/n');
    const sgd = createSgdOptimizer([weight], { learningRate: 1, momentum: 0.5, weightDecay: 0, nesterov: true });
    const learningRate = tf.scalar(1);
    const gradient = tf.tensor1d([2]);
    sgd.step({ 'sgd-test/n': gradient }, learningRate); // v = 2; w = 1 − (2 + 0.5·2) = −2
    expect(weight.dataSync()[0]).toBeCloseTo(-2, 6);
    sgd.dispose();
    tf.dispose([weight, learningRate, gradient]);
  });

  it('leaves no tensors behind once disposed', () => {
    const before = tf.memory().numTensors;
    const initial = tf.tensor1d([1, 2, 3]);
    const weight = tf.variable(initial, true, 'sgd-test/leak');
    initial.dispose();
    const sgd = createSgdOptimizer([weight], { learningRate: 0.1, momentum: 0.9, weightDecay: 1e-4, nesterov: false });
    const learningRate = tf.scalar(0.1);
    const gradient = tf.ones([3]);
    for (let step = 0; step < 3; step++) sgd.step({ 'sgd-test/leak': gradient }, learningRate);
    sgd.dispose();
    tf.dispose([weight, learningRate, gradient]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
