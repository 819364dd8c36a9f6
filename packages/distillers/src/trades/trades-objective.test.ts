// tfjs-core alone registers no gradients; until the shared test setup does, tests that differentiate import them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describeObjective } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createTradesObjective } from './trades-objective.js';

describeObjective('trades', () => createTradesObjective());
describeObjective('trades (beta 1)', () => createTradesObjective({ beta: 1 }));

const softmax = (z: readonly number[]) => {
  const total = z.reduce((sum, value) => sum + Math.exp(value), 0);
  return z.map((value) => Math.exp(value) / total);
};
/** KL(softmax(a) ‖ softmax(b)) in float64. */
const klByHand = (a: readonly number[], b: readonly number[]) => {
  const p = softmax(a);
  const q = softmax(b);
  return p.reduce((sum, pc, c) => sum + pc * (Math.log(pc) - Math.log(q[c]!)), 0);
};

const naturalValues = [
  [2, 0, -1],
  [0.5, 0.5, 1.5],
];
const adversarialValues = [
  [0.5, 1, -1],
  [1, -1, 0],
];

describe(createTradesObjective, () => {
  it('declares TRADES: natural CE plus β (default 6) times the KL, natural forward first', () => {
    const objective = createTradesObjective();
    expect(objective.id).toBe('trades');
    expect(objective.coefficients).toEqual({ natural: 1, robust: 6 });
    expect(createTradesObjective({ beta: 2.5 }).coefficients).toEqual({ natural: 1, robust: 2.5 });
    expect(objective.needsNaturalLogits).toBe(true);
    expect(objective.forwardOrder).toBe('natural-first');
    expect(() => createTradesObjective({ beta: -1 })).toThrow(RangeError);
  });

  it('returns CE(natural, y) and KL(softmax(natural) ‖ softmax(adversarial)) per sample', () => {
    const natural = tf.tensor2d(naturalValues);
    const adversarial = tf.tensor2d(adversarialValues);
    const labels = tf.tensor1d([0, 1], 'int32');
    const terms = createTradesObjective().loss({ labels, student: { natural, adversarial } });
    const expectedNatural = [-Math.log(softmax(naturalValues[0]!)[0]!), -Math.log(softmax(naturalValues[1]!)[1]!)];
    terms.natural.arraySync().forEach((value, index) => expect(value).toBeCloseTo(expectedNatural[index]!, 5));
    terms.robust.arraySync().forEach((value, index) => expect(value).toBeCloseTo(klByHand(naturalValues[index]!, adversarialValues[index]!), 5));
    tf.dispose([natural, adversarial, labels, terms.natural, terms.robust]);
  });

  it('does not detach the natural logits in the KL: its gradient reaches them', () => {
    const natural = tf.tensor2d(naturalValues);
    const adversarial = tf.tensor2d(adversarialValues);
    const labels = tf.tensor1d([0, 1], 'int32');
    const objective = createTradesObjective();
    const gradient = tf.grad((logits: tf.Tensor) =>
      tf.sum(objective.loss({ labels, student: { natural: logits as tf.Tensor2D, adversarial } }).robust),
    )(natural);
    // ∂/∂a_k KL(softmax(a) ‖ q) = p_k·(log p_k − log q_k − KL), by hand
    const expected = naturalValues.map((a, row) => {
      const p = softmax(a);
      const q = softmax(adversarialValues[row]!);
      const kl = klByHand(a, adversarialValues[row]!);
      return p.map((pk, k) => pk * (Math.log(pk) - Math.log(q[k]!) - kl));
    });
    const values = gradient.arraySync() as number[][];
    expect(values.flat().some((value) => Math.abs(value) > 1e-3)).toBe(true);
    values.forEach((row, index) => row.forEach((value, k) => expect(value).toBeCloseTo(expected[index]![k]!, 5)));
    tf.dispose([natural, adversarial, labels, gradient]);
  });

  it('gives the attack the KL to the clean prediction, ignoring labels and zero at the clean logits', () => {
    const natural = tf.tensor2d(naturalValues);
    const adversarial = tf.tensor2d(adversarialValues);
    const labels = tf.tensor1d([2, 2], 'int32');
    const attackObjective = createTradesObjective().attackObjective!(natural);
    const values = attackObjective(adversarial, labels);
    values.arraySync().forEach((value, index) => expect(value).toBeCloseTo(klByHand(naturalValues[index]!, adversarialValues[index]!), 5));
    const atClean = attackObjective(natural, labels);
    atClean.arraySync().forEach((value) => expect(value).toBeCloseTo(0, 6));
    tf.dispose([natural, adversarial, labels, values, atClean]);
  });
});
