import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createClassAccumulator } from './class-accumulator.js';

describe(createClassAccumulator, () => {
  it('sums each signal per class over batches, unsorted and unbalanced', async () => {
    const before = tf.memory().numTensors;
    const accumulator = createClassAccumulator(['robust-error', 'robust-ce'], 3);
    const batches = [
      { labels: [2, 0, 2, 2], error: [1, 0, 0, 1], ce: [0.5, 1, 2, 3], loss: 1.5 },
      { labels: [0, 1], error: [1, 1], ce: [4, 5], loss: 0.5 },
    ];
    for (const batch of batches) {
      const labels = tf.tensor1d(batch.labels, 'int32');
      const error = tf.tensor1d(batch.error);
      const ce = tf.tensor1d(batch.ce);
      const loss = tf.scalar(batch.loss);
      accumulator.add(labels, { 'robust-error': error, 'robust-ce': ce }, loss);
      tf.dispose([labels, error, ce, loss]);
    }
    const result = await accumulator.read();
    accumulator.dispose();
    expect(result.count).toEqual([2, 1, 3]);
    expect(result.sums['robust-error']).toEqual([1, 1, 2]);
    expect(result.sums['robust-ce']).toEqual([5, 5, 5.5]);
    expect(result.lossSum).toBeCloseTo(2, 6);
    expect(result.batches).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
  });
});
