import { createAttackFixture, createLinearModel, expectNoTensorLeak } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createPgdL2Attack } from '../pgd-l2/pgd-l2-attack.js';
import { createPgdAttack } from './pgd-attack.js';

describe('perturbWithTrace (Fair-ARD κ, docs/methods/fair-ard.md)', () => {
  it('counts the steps before which the model was still correct, start included', () => {
    // 1 pixel, w = (1, −1), b = (−0.55, 0.55): class 0 iff x > 0.55. Label 0, x = 0.6, no start,
    // 5 steps of 0.02 down: checked at 0.6 ✓, 0.58 ✓, 0.56 ✓, 0.54 ✗, 0.52 ✗ → κ = 3; result 0.5.
    const model = createLinearModel({ weights: [[1, -1]], bias: [-0.55, 0.55], inputShape: [1, 1, 1] });
    const inputs = tf.tensor4d([0.6, 0.9], [2, 1, 1, 1]);
    const labels = tf.tensor1d([0, 0], 'int32');
    // the second sample (x = 0.9, ε = 0.2) stays correct at every check: κ = 5
    const epsilon = tf.tensor1d([0.2, 0.2]);
    const trace = createPgdAttack({ steps: 5, stepSize: 0.02, init: 'none' }).perturbWithTrace?.({ model, inputs, labels, epsilon, seed: 0 });
    expect(Array.from(trace?.stepsCorrect.dataSync() ?? [])).toEqual([3, 5]);
    expect(trace?.adversarial.dataSync()[0]).toBeCloseTo(0.5, 5);
    tf.dispose([inputs, labels, epsilon, trace?.adversarial, trace?.stepsCorrect]);
    model.dispose();
  });

  it.each([
    ['pgd', () => createPgdAttack({ steps: 3, stepSize: 0.02 })],
    ['pgd with restarts', () => createPgdAttack({ steps: 2, stepSize: 0.02, restarts: 2 })],
    ['pgd-l2', () => createPgdL2Attack({ steps: 3, stepSize: 0.05 })],
  ])('%s: returns what perturb returns, κ in 0..steps, and leaks nothing', async (_name, makeAttack) => {
    const fixture = createAttackFixture(3);
    const attack = makeAttack();
    const plain = attack.perturb(fixture.request);
    await expectNoTensorLeak(() => {
      const trace = attack.perturbWithTrace?.(fixture.request);
      expect(trace?.adversarial.arraySync()).toEqual(plain.arraySync());
      const counts = Array.from(trace?.stepsCorrect.dataSync() ?? []);
      expect(counts).toHaveLength(6);
      counts.forEach((count) => expect(Number.isInteger(count) && count >= 0 && count <= 3).toBe(true));
      tf.dispose([trace?.adversarial, trace?.stepsCorrect]);
    });
    plain.dispose();
    fixture.dispose();
  });
});
