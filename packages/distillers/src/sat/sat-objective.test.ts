import { describeObjective } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createSatObjective } from './sat-objective.js';

describeObjective('sat', createSatObjective);

describe(createSatObjective, () => {
  it('declares PGD-AT: robust term only, adversarial forward only, no attack objective', () => {
    const objective = createSatObjective();
    expect(objective.id).toBe('sat');
    expect(objective.coefficients).toEqual({ natural: 0, robust: 1 });
    expect(objective.needsNaturalLogits).toBe(false);
    expect(objective.forwardOrder).toBe('adversarial-first');
    expect(objective.attackObjective).toBeUndefined();
  });

  it('returns zeros as the natural term and CE(adversarial, y) per sample as the robust term', () => {
    const adversarial = tf.tensor2d([
      [1, 2, 0],
      [0, 0, 3],
    ]);
    const labels = tf.tensor1d([1, 0], 'int32');
    const terms = createSatObjective().loss({ labels, student: { natural: adversarial, adversarial } });
    expect(terms.natural.arraySync()).toEqual([0, 0]);
    // −z_y + log Σ exp(z), by hand
    const expected = [-2 + Math.log(Math.exp(1) + Math.exp(2) + 1), 0 + Math.log(2 + Math.exp(3))];
    terms.robust.arraySync().forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 5));
    tf.dispose([adversarial, labels, terms.natural, terms.robust]);
  });
});
