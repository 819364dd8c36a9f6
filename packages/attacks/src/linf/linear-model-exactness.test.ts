// tfjs-core alone registers no gradients; until the shared test setup does, tests that differentiate import them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { createSeededRandom } from '@robustfair/core';
import type { Attack } from '@robustfair/spec';
import { createLinearModel } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createFgsmAttack } from '../fgsm/fgsm-attack.js';
import { createPgdAttack } from '../pgd/pgd-attack.js';

// For a 2-class linear model z = x·W + b and inputs at least ε inside [0, 1], the worst case in
// the L∞ ball moves every pixel by ε against w_y − w_j, so a sample stays correct exactly when
//   z_y − z_j − ε·‖w_y − w_j‖₁ > 0.
// The CE input gradient is −(1 − p_y)(w_y − w_j), whose sign is that corner's direction, so
// FGSM (no start) and PGD (enough steps to cross the ball) both land on it.

const features = 4;
const classEpsilon = [0.1, 0.05];
const batchSize = 24;

interface Case {
  readonly pixels: number[];
  readonly label: number;
  readonly epsilon: number;
  /** z_y − z_j − ε·‖w_y − w_j‖₁ in float64. */
  readonly criterion: number;
  readonly naturallyCorrect: boolean;
}

function makeProblem() {
  const random = createSeededRandom(2024);
  const weights = Array.from({ length: features }, () => [Math.fround(random.float() * 2 - 1), Math.fround(random.float() * 2 - 1)]);
  const bias = [Math.fround(0.1), Math.fround(-0.1)];
  const column = (c: number) => weights.map((row) => row[c]!);
  const cases: Case[] = Array.from({ length: batchSize }, () => {
    const label = random.int(0, 1);
    const other = 1 - label;
    const epsilon = classEpsilon[label]!;
    // at least ε (max 0.1) plus a margin inside [0, 1], so the box never clips
    const pixels = Array.from({ length: features }, () => Math.fround(0.15 + 0.7 * random.float()));
    const logit = (c: number) => pixels.reduce((sum, x, k) => sum + x * column(c)[k]!, bias[c]!);
    const l1 = column(label).reduce((sum, w, k) => sum + Math.abs(w - column(other)[k]!), 0);
    const margin = logit(label) - logit(other);
    return { pixels, label, epsilon, criterion: margin - Math.fround(epsilon) * l1, naturallyCorrect: margin > 0 };
  });
  return { weights, bias, cases };
}

function robustPredictions(attack: Attack): { cases: Case[]; correct: boolean[] } {
  const { weights, bias, cases } = makeProblem();
  const model = createLinearModel({ weights, bias, inputShape: [2, 2, 1] });
  const inputs = tf.tensor4d(cases.flatMap((sample) => sample.pixels), [batchSize, 2, 2, 1]);
  const labels = tf.tensor1d(cases.map((sample) => sample.label), 'int32');
  const epsilon = tf.tensor1d(cases.map((sample) => sample.epsilon));
  const adversarial = attack.perturb({ model, inputs, labels, epsilon, seed: 11 });
  const logits = model.logits(adversarial, { training: false }).arraySync();
  tf.dispose([inputs, labels, epsilon, adversarial]);
  model.dispose();
  return { cases, correct: cases.map((sample, index) => logits[index]![sample.label]! > logits[index]![1 - sample.label]!) };
}

describe('L∞ attacks on a 2-class linear model', () => {
  it('uses a batch where robust, flipped and already-wrong samples are all present', () => {
    const { cases } = makeProblem();
    expect(cases.some((sample) => sample.criterion > 0)).toBe(true);
    expect(cases.some((sample) => sample.criterion <= 0 && sample.naturallyCorrect)).toBe(true);
    expect(cases.some((sample) => !sample.naturallyCorrect)).toBe(true);
    // no sample sits within float32 rounding of the decision boundary
    expect(cases.every((sample) => Math.abs(sample.criterion) > 1e-4)).toBe(true);
  });

  it.each([
    ['fgsm (init none)', () => createFgsmAttack({ init: 'none' })],
    ['pgd (init none, 10 × 0.025)', () => createPgdAttack({ init: 'none', steps: 10, stepSize: 0.025 })],
    ['pgd (uniform start, 10 × 0.025)', () => createPgdAttack({ init: 'uniform', steps: 10, stepSize: 0.025 })],
  ])('%s keeps a sample correct exactly when z_y − z_j − ε‖w_y − w_j‖₁ > 0', (_name, makeAttack) => {
    const { cases, correct } = robustPredictions(makeAttack());
    expect(correct).toEqual(cases.map((sample) => sample.criterion > 0));
  });

  it('fgsm lands on the corner x + ε·sign(w_j − w_y)', () => {
    const { weights, bias, cases } = makeProblem();
    const model = createLinearModel({ weights, bias, inputShape: [2, 2, 1] });
    const inputs = tf.tensor4d(cases.flatMap((sample) => sample.pixels), [batchSize, 2, 2, 1]);
    const labels = tf.tensor1d(cases.map((sample) => sample.label), 'int32');
    const epsilon = tf.tensor1d(cases.map((sample) => sample.epsilon));
    const adversarial = createFgsmAttack().perturb({ model, inputs, labels, epsilon, seed: 0 });
    const values = Array.from(adversarial.dataSync());
    tf.dispose([inputs, labels, epsilon, adversarial]);
    model.dispose();
    cases.forEach((sample, index) => {
      sample.pixels.forEach((x, k) => {
        const direction = Math.sign(weights[k]![1 - sample.label]! - weights[k]![sample.label]!);
        expect(values[index * features + k]).toBeCloseTo(x + sample.epsilon * direction, 6);
      });
    });
  });
});
