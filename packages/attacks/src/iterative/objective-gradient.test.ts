import type { Model } from '@robustfair/spec';
import { createLinearModel, expectNoTensorLeak } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { labelLogit } from '../objectives/rank-selectors.js';
import { objectiveGradient } from './objective-gradient.js';

describe(objectiveGradient, () => {
  // z = x·W with W = [[1, 2], [3, −1]] on 2 pixels; objective z_y, so ∂/∂x = W[:, y]
  const linear = () => createLinearModel({ weights: [[1, 2], [3, -1]], bias: [0, 0], inputShape: [1, 2, 1] });

  it('returns the per-sample objective, its input gradient and the logits of one pass', async () => {
    const model = linear();
    const inputs = tf.tensor4d([0.5, 0.25, 1, 0], [2, 1, 2, 1]);
    const labels = tf.tensor1d([0, 1], 'int32');
    await expectNoTensorLeak(() => {
      const result = objectiveGradient(inputs, { model, labels, objective: labelLogit, training: false });
      // sample 0: z = (0.5 + 0.75, 1 − 0.25) = (1.25, 0.75), y = 0; sample 1: z = (1, 2), y = 1
      expect(Array.from(result.loss.dataSync())).toEqual([1.25, 2]);
      expect(Array.from(result.gradient.dataSync())).toEqual([1, 3, 2, -1]);
      expect(result.logits.arraySync()).toEqual([[1.25, 0.75], [1, 2]]);
      tf.dispose([result.loss, result.gradient, result.logits]);
    });
    tf.dispose([inputs, labels]);
    model.dispose();
  });

  it('averages loss and gradient over eotIterations stochastic passes (EoT)', () => {
    const base = linear();
    let calls = 0;
    // a "randomised" model whose logits are scaled by 1, 3, 1, 3, … on successive passes
    const model: Model = { ...base, logits: (inputs, options) => tf.tidy(() => tf.mul(base.logits(inputs, options), (calls++ % 2) * 2 + 1)) };
    const inputs = tf.tensor4d([0.5, 0.25], [1, 1, 2, 1]);
    const labels = tf.tensor1d([0], 'int32');
    const result = objectiveGradient(inputs, { model, labels, objective: labelLogit, training: false, eotIterations: 4 });
    expect(calls).toBe(4);
    // mean scale 2: loss 2 · 1.25, gradient 2 · W[:, 0]; the logits are the last pass's (scale 3)
    expect(Array.from(result.loss.dataSync())).toEqual([2.5]);
    expect(Array.from(result.gradient.dataSync())).toEqual([2, 6]);
    expect(result.logits.arraySync()).toEqual([[3.75, 2.25]]);
    tf.dispose([result.loss, result.gradient, result.logits, inputs, labels]);
    base.dispose();
  });
});
