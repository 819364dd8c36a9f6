import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { stopGradient } from './stop-gradient.js';

describe(stopGradient, () => {
  it('passes values through unchanged as a new tensor, and its input intact', () => {
    const input = tf.tensor2d([[1, -2, 3]]);
    const output = stopGradient(input);
    expect(output).not.toBe(input);
    expect(output.shape).toEqual([1, 3]);
    expect(Array.from(output.dataSync())).toEqual([1, -2, 3]);
    output.dispose();
    expect(input.isDisposed).toBe(false);
    input.dispose();
  });

  it('blocks the gradient: d/dx [x·stop(x)] = stop(x) = x, not 2x', () => {
    const x = tf.tensor1d([1, 2, -3]);
    const gradient = tf.grad((value: tf.Tensor) => tf.sum(tf.mul(value, stopGradient(value))))(x);
    expect(Array.from(gradient.dataSync())).toEqual([1, 2, -3]);
    tf.dispose([x, gradient]);
  });
});
