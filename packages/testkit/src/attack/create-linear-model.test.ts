import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createLinearModel } from './create-linear-model.js';
import { recordTrainingFlags } from './record-training-flags.js';

describe(createLinearModel, () => {
  it('computes flatten(x)·W + b', () => {
    const model = createLinearModel({ weights: [[1, 0], [0, 2], [-1, 1], [0.5, 0]], bias: [0.25, -1], inputShape: [2, 2, 1] });
    const inputs = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const logits = model.logits(inputs, { training: false });
    // class 0: 1·1 + 2·0 + 3·(−1) + 4·0.5 + 0.25 = 0.25; class 1: 0 + 4 + 3 + 0 − 1 = 6
    expect(logits.arraySync()).toEqual([[0.25, 6]]);
    expect(model.bounds).toEqual([0, 1]);
    expect(model.numClasses).toBe(2);
    tf.dispose([inputs, logits]);
    model.dispose();
  });

  it('rejects weights of the wrong shape', () => {
    expect(() => createLinearModel({ weights: [[1, 0]], bias: [0, 0], inputShape: [2, 2, 1] })).toThrow(RangeError);
  });
});

describe(recordTrainingFlags, () => {
  it('records the training flag of every forward pass', () => {
    const recorder = recordTrainingFlags(createLinearModel({ weights: [[1]], bias: [0], inputShape: [1, 1, 1] }));
    const inputs = tf.zeros([1, 1, 1, 1]) as tf.Tensor4D;
    recorder.model.logits(inputs, { training: true }).dispose();
    recorder.model.logits(inputs, { training: false }).dispose();
    expect(recorder.flags).toEqual([true, false]);
    inputs.dispose();
    recorder.model.dispose();
  });
});
