import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createBatchNorm } from './batch-norm.js';

// Input [2, 2, 1, 2]: per channel 4 values (n = N·H·W = 4).
//   channel 0: 1, 2, 3, 6     mean 3, biased variance (4+1+0+9)/4 = 3.5, unbiased 14/3
//   channel 1: 0, 0, 4, 4     mean 2, biased variance 4,           unbiased 16/3
const channel0 = [1, 2, 3, 6];
const channel1 = [0, 0, 4, 4];
const interleave = (first: readonly number[], second: readonly number[]) => first.flatMap((value, index) => [value, second[index]!]);
const input = () => tf.tensor4d(interleave(channel0, channel1), [2, 2, 1, 2]);
const epsilon = 1e-5;

describe(createBatchNorm, () => {
  it('starts with γ = 1, β = 0, running mean 0 and running variance 1, with PyTorch names', () => {
    const norm = createBatchNorm({ channels: 3 });
    expect(Array.from(norm.gamma.dataSync())).toEqual([1, 1, 1]);
    expect(Array.from(norm.beta.dataSync())).toEqual([0, 0, 0]);
    expect(Array.from(norm.runningMean.dataSync())).toEqual([0, 0, 0]);
    expect(Array.from(norm.runningVariance.dataSync())).toEqual([1, 1, 1]);
    expect(norm.variables().map(({ name, trainable }) => [name, trainable])).toEqual([
      ['weight', true],
      ['bias', true],
      ['running_mean', false],
      ['running_var', false],
    ]);
    norm.dispose();
  });

  describe('in training mode', () => {
    it('normalises with the biased batch variance and updates running stats with momentum 0.1 and the unbiased variance', () => {
      const norm = createBatchNorm({ channels: 2 });
      norm.gamma.assign(tf.tensor1d([2, 0.5]));
      norm.beta.assign(tf.tensor1d([1, -1]));
      const x = input();
      const output = norm.apply(x, { training: true });
      const expected = interleave(
        channel0.map((value) => ((value - 3) / Math.sqrt(3.5 + epsilon)) * 2 + 1),
        channel1.map((value) => ((value - 2) / Math.sqrt(4 + epsilon)) * 0.5 - 1),
      );
      output.dataSync().forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 5));
      // running = 0.9 · running + 0.1 · batch statistic.
      const mean = norm.runningMean.dataSync();
      const variance = norm.runningVariance.dataSync();
      expect(mean[0]).toBeCloseTo(0.9 * 0 + 0.1 * 3, 6);
      expect(mean[1]).toBeCloseTo(0.9 * 0 + 0.1 * 2, 6);
      expect(variance[0]).toBeCloseTo(0.9 * 1 + 0.1 * (14 / 3), 6);
      expect(variance[1]).toBeCloseTo(0.9 * 1 + 0.1 * (16 / 3), 6);

      // A second step averages again from the updated values.
      const shifted = tf.add(x, 1) as tf.Tensor4D; // means 4 and 3, same variances
      norm.apply(shifted, { training: true }).dispose();
      expect(norm.runningMean.dataSync()[0]).toBeCloseTo(0.9 * 0.3 + 0.1 * 4, 6);
      expect(norm.runningMean.dataSync()[1]).toBeCloseTo(0.9 * 0.2 + 0.1 * 3, 6);
      expect(norm.runningVariance.dataSync()[0]).toBeCloseTo(0.9 * (0.9 + 0.1 * (14 / 3)) + 0.1 * (14 / 3), 5);
      tf.dispose([x, shifted, output]);
      norm.dispose();
    });

    it('honours a custom momentum', () => {
      const norm = createBatchNorm({ channels: 2, momentum: 0.5 });
      const x = input();
      norm.apply(x, { training: true }).dispose();
      expect(norm.runningMean.dataSync()[0]).toBeCloseTo(0.5 * 3, 6);
      expect(norm.runningVariance.dataSync()[1]).toBeCloseTo(0.5 + 0.5 * (16 / 3), 6);
      x.dispose();
      norm.dispose();
    });

    it('refuses a single value per channel, as PyTorch does', () => {
      const norm = createBatchNorm({ channels: 1 });
      const x = tf.zeros([1, 1, 1, 1]) as tf.Tensor4D;
      expect(() => norm.apply(x, { training: true })).toThrow(/more than 1 value per channel/);
      x.dispose();
      norm.dispose();
    });
  });

  describe('in eval mode', () => {
    it('normalises with the running statistics and leaves them untouched', () => {
      const norm = createBatchNorm({ channels: 2 });
      norm.runningMean.assign(tf.tensor1d([1, -2]));
      norm.runningVariance.assign(tf.tensor1d([4, 0.25]));
      norm.gamma.assign(tf.tensor1d([3, 1]));
      norm.beta.assign(tf.tensor1d([0, 0.5]));
      const x = input();
      const output = norm.apply(x, { training: false });
      const expected = interleave(
        channel0.map((value) => ((value - 1) / Math.sqrt(4 + epsilon)) * 3),
        channel1.map((value) => (value + 2) / Math.sqrt(0.25 + epsilon) + 0.5),
      );
      output.dataSync().forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 5));
      expect(Array.from(norm.runningMean.dataSync())).toEqual([1, -2]);
      expect(Array.from(norm.runningVariance.dataSync())).toEqual([4, 0.25]);
      tf.dispose([x, output]);
      norm.dispose();
    });
  });
});
