import { createSeededRandom } from '@robustfair/core';
import type { Attack } from '@robustfair/spec';
import { createLinearModel } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createApgdAttack } from '../apgd/apgd-attack.js';
import { createPgdL2Attack } from '../pgd-l2/pgd-l2-attack.js';
import { createPgdAttack } from '../pgd/pgd-attack.js';

// A multi-class linear model z = x·W + b and inputs far enough inside [0, 1] that the box never
// binds. The smallest z_y − z_j over the ε ball is z_y − z_j − ε·‖w_y − w_j‖_* (‖·‖₁ for the L∞
// ball, ‖·‖₂ for the L2 ball), each pair on its own, so a sample is robust exactly when
//   min over j ≠ y of (z_y − z_j − ε·‖w_y − w_j‖_*) > 0.
// Computed here in float64, independently of the attacks.

const classes = 4;
const features = 8; // 2 × 2 × 2
const batchSize = 40;
const linfEpsilon = [0.1, 0.05, 0.08, 0.03];
const l2Epsilon = [0.15, 0.08, 0.12, 0.05];

interface Case {
  readonly pixels: number[];
  readonly label: number;
  readonly epsilon: number;
  readonly criterion: number;
  readonly naturallyCorrect: boolean;
}

function makeProblem(norm: 'linf' | 'l2') {
  const random = createSeededRandom(norm === 'linf' ? 99 : 100);
  const weights = Array.from({ length: features }, () => Array.from({ length: classes }, () => Math.fround(random.float() * 2 - 1)));
  const bias = Array.from({ length: classes }, () => Math.fround(random.float() * 0.4 - 0.2));
  const dual = (difference: number[]) =>
    norm === 'linf' ? difference.reduce((sum, value) => sum + Math.abs(value), 0) : Math.hypot(...difference);
  const cases: Case[] = [];
  while (cases.length < batchSize) {
    const label = random.int(0, classes - 1);
    const epsilon = Math.fround((norm === 'linf' ? linfEpsilon : l2Epsilon)[label] ?? 0);
    const pixels = Array.from({ length: features }, () => Math.fround(0.2 + 0.6 * random.float()));
    const logit = (c: number) => pixels.reduce((sum, x, k) => sum + x * (weights[k]?.[c] ?? 0), bias[c] ?? 0);
    const others = Array.from({ length: classes }, (_, c) => c).filter((c) => c !== label);
    const criterion = Math.min(
      ...others.map((j) => logit(label) - logit(j) - epsilon * dual(weights.map((row) => (row[label] ?? 0) - (row[j] ?? 0)))),
    );
    // keep clear of float32 rounding at the boundary
    if (Math.abs(criterion) < 0.02) continue;
    cases.push({ pixels, label, epsilon, criterion, naturallyCorrect: others.every((j) => logit(label) > logit(j)) });
  }
  return { weights, bias, cases };
}

function robustFlags(attack: Attack, norm: 'linf' | 'l2') {
  const { weights, bias, cases } = makeProblem(norm);
  const model = createLinearModel({ weights, bias, inputShape: [2, 2, 2] });
  const inputs = tf.tensor4d(cases.flatMap((sample) => sample.pixels), [batchSize, 2, 2, 2]);
  const labels = tf.tensor1d(cases.map((sample) => sample.label), 'int32');
  const epsilon = tf.tensor1d(cases.map((sample) => sample.epsilon));
  const adversarial = attack.perturb({ model, inputs, labels, epsilon, seed: 5 });
  const logits = model.logits(adversarial, { training: false }).arraySync();
  tf.dispose([inputs, labels, epsilon, adversarial]);
  model.dispose();
  const correct = cases.map((sample, index) => {
    const row = logits[index] ?? [];
    return row.every((value, c) => c === sample.label || (row[sample.label] ?? Number.NaN) > value);
  });
  return { cases, correct };
}

describe.each(['linf', 'l2'] as const)('attacks on a 4-class linear model (%s)', (norm) => {
  it('uses a batch with robust, flipped and naturally wrong samples', () => {
    const { cases } = makeProblem(norm);
    expect(cases.some((sample) => sample.criterion > 0)).toBe(true);
    expect(cases.some((sample) => sample.criterion < 0 && sample.naturallyCorrect)).toBe(true);
    expect(cases.some((sample) => !sample.naturallyCorrect)).toBe(true);
  });

  const attacks: [string, () => Attack][] =
    norm === 'linf'
      ? [
          ['pgd (30 × 0.01, uniform start)', () => createPgdAttack({ steps: 30, stepSize: 0.01 })],
          ['apgd-ce (30 iterations)', () => createApgdAttack({ steps: 30 })],
          ['apgd-dlr (30 iterations)', () => createApgdAttack({ steps: 30, loss: 'dlr' })],
        ]
      : [
          ['pgd-l2 (30 × 0.02, uniform start)', () => createPgdL2Attack({ steps: 30, stepSize: 0.02 })],
          ['apgd-ce l2 (30 iterations)', () => createApgdAttack({ steps: 30, norm: 'l2' })],
        ];

  it.each(attacks)('%s keeps a sample correct exactly when min_j (z_y − z_j − ε‖w_y − w_j‖_*) > 0', (_name, makeAttack) => {
    const { cases, correct } = robustFlags(makeAttack(), norm);
    expect(correct).toEqual(cases.map((sample) => sample.criterion > 0));
  });
});
