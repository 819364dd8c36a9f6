import { createSeededRandom } from '@robustfair/core';
import type { Model } from '@robustfair/spec';
import { createArrayDataset, createLinearModel } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createPresetAttack } from '../presets/attack-presets.js';
import { createSquareAttack } from '../square/square-attack.js';
import { runEvaluationSuite, type SuiteAttack } from './run-evaluation-suite.js';

// A linear model behind a quantisation step q(x) = round(64x)/64: the forward pass is almost the
// linear model's, but Round's gradient is zero, so every input gradient is exactly zero. Only a
// score-based attack can break it.
const size = 4;
const features = size * size;
const samples = 40;
const epsilon = 0.1;

function makeProblem() {
  const random = createSeededRandom(17);
  const weights = Array.from({ length: features }, () => {
    const value = random.float() < 0.5 ? -0.5 : 0.5;
    return [value, -value];
  });
  const pixels: number[] = [];
  const labels: number[] = [];
  /** Linear criterion |z_0 − z_1| − ε‖w_0 − w_1‖₁ per sample (ignoring the quantisation): > 0 means robust. */
  const criteria: number[] = [];
  const linear = createLinearModel({ weights, bias: [0, 0], inputShape: [size, size, 1] });
  for (let sample = 0; sample < samples; sample++) {
    const image = Array.from({ length: features }, () => 0.2 + 0.6 * random.float());
    pixels.push(...image);
    // label = the quantised model's own clean prediction, so the clean accuracy is 1
    const margin = image.reduce((sum, x, k) => sum + (Math.round(64 * x) / 64) * ((weights[k]?.[0] ?? 0) - (weights[k]?.[1] ?? 0)), 0);
    labels.push(margin > 0 ? 0 : 1);
    criteria.push(Math.abs(margin) - epsilon * weights.reduce((sum, row) => sum + Math.abs((row[0] ?? 0) - (row[1] ?? 0)), 0));
  }
  const model: Model = {
    ...linear,
    logits: (inputs, options) => tf.tidy(() => linear.logits(tf.div(tf.round(tf.mul(inputs, 64)), 64) as tf.Tensor4D, options)),
  };
  return { model, criteria, dataset: createArrayDataset({ id: 'masked', numClasses: 2, inputShape: [size, size, 1], splits: { test: { pixels, labels } } }) };
}

describe('gradient masking (a non-differentiable quantisation step)', () => {
  it('stops PGD, not Square, and the suite raises the masking flags', async () => {
    const { model, dataset, criteria } = makeProblem();
    const pgd = createPresetAttack('pgd20');
    const attacks: SuiteAttack[] = [
      { id: 'pgd20', attack: pgd.attack, threatModel: pgd.threatModel },
      { id: 'square', attack: createSquareAttack({ queries: 300 }), threatModel: 'black-box' },
    ];
    const report = await runEvaluationSuite({ model, dataset, attacks, epsilon, batchSize: 20, seed: 4, bootstrap: { resamples: 20 } });
    model.dispose();
    const accuracy = Object.fromEntries(report.rows.map((row) => [row.id, row.average]));
    expect(accuracy['clean']).toBe(1);
    // with zero gradients PGD never leaves its random start; Square searches the ball by scores
    expect(accuracy['square'] ?? 1).toBeLessThan((accuracy['pgd20'] ?? 0) - 0.3);
    // Square reaches the linear bound: a sample is broken exactly when its criterion is negative,
    // up to the quantisation (it moves a margin by at most Σ|w_0 − w_1|/128 = 0.125)
    const square = report.perSample.correct['square'] ?? [];
    criteria.forEach((criterion, index) => {
      if (criterion < -0.15) expect(square[index]).toBe(false);
      if (criterion > 0.15) expect(square[index]).toBe(true);
    });
    expect(criteria.filter((criterion) => criterion < -0.15).length).toBeGreaterThan(samples / 2);
    const flags = report.flags.map((flag) => flag.id);
    expect(flags).toContain('zero-gradients');
    expect(flags).toContain('black-box-stronger');
    const zero = report.flags.find((flag) => flag.id === 'zero-gradients');
    expect(zero?.details).toEqual({ samples: 20, batch: 20 });
  });
});
