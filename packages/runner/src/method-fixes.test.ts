import { createPgdAttack } from '@robustfair/attacks';
import { fit } from '@robustfair/core';
import { createInMemoryDataset, createSyntheticDataset } from '@robustfair/datasets';
import { createRsladDistiller, createTradesObjective } from '@robustfair/distillers';
import { createAbsldStrategy, createFrlStrategy, createWatStrategy, hedgeWeights, shiftAgainstRiskGap, type AbsldState, type FrlState, type WatState } from '@robustfair/fairness-strategies';
import { createSmallCnn } from '@robustfair/models';
import type { Attack, ClassStatistics } from '@robustfair/spec';
import { createLinearModel, expectNoTensorLeak } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

// Issue 14 section 1: the validation pass of WAT (TRADES cost) and FRL (fixed ε, update before
// training), and ABSLD's train-mode error risk, each checked against numbers computed here.

const sgd = { learningRate: 0.1, momentum: 0, weightDecay: 0, nesterov: false };

/** 1×1×2 inputs, 3 classes: 6 training and 6 validation samples. */
const trainInputs = [0.2, 0.9, 0.5, 0.1, 0.7, 0.4, 0.3, 0.3, 0.8, 0.6, 0.1, 0.5];
const trainLabels = [0, 1, 2, 1, 0, 2];
const validationInputs = [0.6, 0.2, 0.1, 0.8, 0.4, 0.4, 0.9, 0.1, 0.3, 0.7, 0.5, 0.9];
const validationLabels = [0, 1, 2, 0, 1, 2];
const startWeights = [
  [0.3, -0.2, 0.1],
  [-0.1, 0.4, 0.2],
];
const startBias = [0.05, -0.05, 0];

function linearDataset() {
  return createInMemoryDataset({
    id: 'six-six',
    numClasses: 3,
    inputShape: [1, 1, 2],
    splits: {
      train: { images: new Float32Array(trainInputs), labels: trainLabels },
      validation: { images: new Float32Array(validationInputs), labels: validationLabels },
    },
  });
}

/**
 * A deterministic stand-in attack: every pixel + its sample's ε, clipped to [0, 1]; it ignores
 * the objective. Records each call's per-sample radii.
 */
function shiftAttack(): Attack & { readonly radii: number[][] } {
  const radii: number[][] = [];
  return {
    specificationVersion: 'v1',
    id: 'shift',
    norm: 'linf',
    radii,
    perturb: ({ inputs, epsilon }) => {
      radii.push(Array.from(epsilon.dataSync()));
      return tf.tidy(() => tf.clipByValue(tf.add(inputs, tf.reshape(epsilon, [-1, 1, 1, 1])), 0, 1) as tf.Tensor4D);
    },
  };
}

/** Logits of a 2-feature linear model, in plain numbers. */
const linearLogits = (weights: readonly number[], bias: readonly number[], x0: number, x1: number) =>
  [0, 1, 2].map((k) => x0 * weights[k]! + x1 * weights[3 + k]! + bias[k]!);
const logSoftmax = (z: readonly number[]) => {
  const top = Math.max(...z);
  const total = Math.log(z.reduce((sum, value) => sum + Math.exp(value - top), 0)) + top;
  return z.map((value) => value - total);
};

describe("WAT with cost 'trades' (the validation pass computes the loss's terms)", () => {
  it('runs past its first epoch and accumulates mean CE + β·KL per class on the validation split', async () => {
    const model = createLinearModel({ weights: startWeights, bias: startBias, inputShape: [1, 1, 2] });
    const epsilon = 0.1;
    const result = await fit({
      model,
      dataset: linearDataset(),
      attack: shiftAttack(),
      objective: createTradesObjective({ beta: 6 }),
      fairness: createWatStrategy({ cost: 'trades', beta: 6, learningRate: 0.1 }),
      epochs: 1,
      batchSize: 6,
      epsilon,
      optimizer: sgd,
      schedule: { type: 'constant' },
      seed: 0,
      validation: { attack: shiftAttack(), batchSize: 4 },
    });
    // The validation pass ran on the trained weights: recompute everything from them by hand.
    const [weights, bias] = model.trainableVariables().map((variable) => Array.from(variable.dataSync()));
    const ce = [0, 0, 0];
    const kl = [0, 0, 0];
    validationLabels.forEach((label, i) => {
      const x0 = validationInputs[2 * i]!;
      const x1 = validationInputs[2 * i + 1]!;
      const clean = logSoftmax(linearLogits(weights!, bias!, x0, x1));
      const adversarial = logSoftmax(linearLogits(weights!, bias!, Math.min(1, x0 + epsilon), Math.min(1, x1 + epsilon)));
      ce[label]! += -clean[label]!;
      kl[label]! += clean.reduce((sum, logP, k) => sum + Math.exp(logP) * (logP - adversarial[k]!), 0);
    });
    const statistics = result.epochs[0]?.strategyStatistics as ClassStatistics;
    expect(statistics.split).toBe('validation');
    ce.forEach((value, c) => expect(statistics.sums['natural-loss']?.[c]).toBeCloseTo(value, 5));
    kl.forEach((value, c) => expect(statistics.sums['robust-loss']?.[c]).toBeCloseTo(value, 5));
    // Hedge over the costs: class means (2 samples each) and the overall mean.
    const costs = [0, 1, 2].map((c) => (ce[c]! + 6 * kl[c]!) / 2);
    costs.push((ce.reduce((a, b) => a + b) + 6 * kl.reduce((a, b) => a + b)) / 6);
    const expected = hedgeWeights(costs, 0.1, 3);
    (result.strategyState as WatState).weights.forEach((weight, j) => expect(weight).toBeCloseTo(expected[j]!, 5));
    model.dispose();
  });
});

describe('FRL validation: PGD-20 at a fixed 8/255, and one update before training', () => {
  it('attacks the validation split at 8/255 for every class, whatever the class-wise training ε, and updates once on the initial model', async () => {
    const model = createLinearModel({ weights: startWeights, bias: startBias, inputShape: [1, 1, 2] });
    const validationAttack = shiftAttack();
    const result = await fit({
      model,
      dataset: linearDataset(),
      attack: shiftAttack(),
      objective: createTradesObjective({ beta: 1.5 }),
      // A large remargin step so the class-wise ε moves after the first update.
      fairness: createFrlStrategy('reweight-remargin', { marginStepSize: 5 }),
      epochs: 2,
      batchSize: 6,
      epsilon: 0.05,
      optimizer: sgd,
      schedule: { type: 'constant' },
      seed: 0,
      validation: { attack: validationAttack, batchSize: 6 },
    });
    // Three validation passes (before training, after epochs 0 and 1), one batch each, all at 8/255.
    expect(validationAttack.radii).toHaveLength(3);
    for (const radii of validationAttack.radii) for (const radius of radii) expect(radius).toBeCloseTo(8 / 255, 7);
    // The class-wise training ε did move (else the check above would prove nothing).
    const epsilonKnob = result.epochs[1]?.knobs.epsilon ?? [];
    expect(new Set(epsilonKnob.map((value) => value.toFixed(6))).size).toBeGreaterThan(1);

    // The update before training saw the initial weights: count the errors by hand.
    const natural = [0, 0, 0];
    const robust = [0, 0, 0];
    const argmax = (z: readonly number[]) => z.indexOf(Math.max(...z));
    validationLabels.forEach((label, i) => {
      const x0 = validationInputs[2 * i]!;
      const x1 = validationInputs[2 * i + 1]!;
      const flat = startWeights.flat();
      if (argmax(linearLogits(flat, startBias, x0, x1)) !== label) natural[label]! += 1;
      if (argmax(linearLogits(flat, startBias, Math.min(1, x0 + 8 / 255), Math.min(1, x1 + 8 / 255))) !== label) robust[label]! += 1;
    });
    const initial = result.initialUpdate;
    expect(initial?.statistics.epoch).toBe(-1);
    expect(initial?.statistics.sums['natural-error']).toEqual(natural);
    expect(initial?.statistics.sums['robust-error']).toEqual(robust);
    // Epoch 0 trained with the knobs of that update, not with λ = 0.
    const strategy = createFrlStrategy('reweight-remargin', { marginStepSize: 5 });
    const expectedState = strategy.update(strategy.init({ numClasses: 3, epsilon: 0.05, epochs: 2 }), initial?.statistics as ClassStatistics);
    expect(initial?.strategyState).toEqual(expectedState);
    expect(result.epochs[0]?.knobs).toEqual(strategy.knobs(expectedState as FrlState));
    model.dispose();
  });
});

describe("fit() 'joint-weight-normalised' reduction (FRL-Remargin)", () => {
  it('divides Σ(c_n·a·CE + c_r·b·KL) by Σ(a + b): one SGD step against a hand-built loss', async () => {
    const naturalWeight = [0.5, 2, 1];
    const model = createLinearModel({ weights: startWeights, bias: startBias, inputShape: [1, 1, 2] });
    const dataset = createInMemoryDataset({
      id: 'six',
      numClasses: 3,
      inputShape: [1, 1, 2],
      splits: { train: { images: new Float32Array(trainInputs), labels: trainLabels } },
    });
    const fixed = {
      specificationVersion: 'v1' as const,
      id: 'fixed-knobs',
      requires: { split: 'train' as const, signals: [] },
      init: () => null,
      update: () => null,
      knobs: () => ({ naturalWeight, epsilon: [0, 0, 0], reduction: 'joint-weight-normalised' as const }),
    };
    // ε = 0: adversarial = clean, so TRADES' KL is 0 and the loss is Σ a·CE / (Σ a + Σ 1).
    await fit({
      model,
      dataset,
      attack: shiftAttack(),
      objective: createTradesObjective({ beta: 6 }),
      fairness: fixed,
      epochs: 1,
      batchSize: 6,
      epsilon: 0.05,
      optimizer: sgd,
      schedule: { type: 'constant' },
      seed: 0,
    });
    const expected = tf.tidy(() => {
      const x = tf.tensor2d(trainInputs, [6, 2]);
      const y = tf.oneHot(tf.tensor1d(trainLabels, 'int32'), 3);
      const a = tf.tensor1d(trainLabels.map((label) => naturalWeight[label]!));
      const loss = (weights: tf.Tensor, bias: tf.Tensor) => {
        const ce = tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(tf.add(tf.matMul(x, weights), bias))), 1));
        return tf.div(tf.sum(tf.mul(a, ce)), tf.add(tf.sum(a), 6));
      };
      const weights = tf.tensor2d(startWeights);
      const bias = tf.tensor1d(startBias);
      const [gradientWeights, gradientBias] = tf.grads(loss)([weights, bias]);
      return [...tf.sub(weights, tf.mul(gradientWeights!, 0.1)).dataSync(), ...tf.sub(bias, tf.mul(gradientBias!, 0.1)).dataSync()];
    });
    const actual = model.trainableVariables().flatMap((variable) => Array.from(variable.dataSync()));
    actual.forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 6));
    model.dispose();
  });
});

describe("ABSLD's error risk comes from the student's TRAIN-mode logits", () => {
  it('sums the hard-label CE of the batch-norm student in train mode (batch statistics), not eval mode', async () => {
    // 12 images of 4×4×3, 3 classes, one batch, learning rate 0: the weights never change, so
    // train-mode logits of the whole set (batch statistics) are what the epoch saw.
    const size = 12;
    const pixels = 4 * 4 * 3;
    const images = new Float32Array(size * pixels).map((_, index) => ((index * 37) % 101) / 100);
    const labels = Array.from({ length: size }, (_, index) => index % 3);
    const dataset = createInMemoryDataset({ id: 'twelve', numClasses: 3, inputShape: [4, 4, 3], splits: { train: { images, labels } } });
    const student = createSmallCnn({ numClasses: 3, inputShape: [4, 4, 3], width: 2, seed: 1 });
    const teacher = createSmallCnn({ numClasses: 3, inputShape: [4, 4, 3], width: 2, seed: 2 });
    const result = await fit({
      model: student,
      teacher,
      distiller: createRsladDistiller(),
      dataset,
      attack: shiftAttack(),
      fairness: createAbsldStrategy(),
      epochs: 1,
      batchSize: size,
      epsilon: 0.02,
      optimizer: { ...sgd, learningRate: 0 },
      schedule: { type: 'constant' },
      seed: 0,
    });
    const naturalCe = (training: boolean) =>
      tf.tidy(() => {
        const inputs = tf.tensor4d(images, [size, 4, 4, 3]);
        const logProbabilities = tf.logSoftmax(student.logits(inputs, { training }));
        const picked = tf.neg(tf.sum(tf.mul(tf.oneHot(tf.tensor1d(labels, 'int32'), 3), logProbabilities), 1));
        const perSample = Array.from(picked.dataSync());
        return [0, 1, 2].map((c) => perSample.reduce((sum, value, i) => sum + (labels[i] === c ? value : 0), 0));
      });
    const evalMode = naturalCe(false);
    const trainMode = naturalCe(true);
    // The two modes differ on this model, so the check below tells them apart.
    expect(Math.max(...trainMode.map((value, c) => Math.abs(value - evalMode[c]!)))).toBeGreaterThan(1e-3);
    const statistics = result.epochs[0]?.statistics as ClassStatistics;
    trainMode.forEach((value, c) => expect(statistics.sums['natural-ce']?.[c]).toBeCloseTo(value, 4));
    // And the natural temperatures moved by exactly that risk.
    const expectedNatural = shiftAgainstRiskGap([1, 1, 1], trainMode, 0.1, 0.5, 5);
    (result.strategyState as AbsldState).natural.forEach((value, c) => expect(value).toBeCloseTo(expectedNatural[c]!, 4));
    student.dispose();
    teacher.dispose();
  });
});

describe('validation passes leave no tensor behind', () => {
  for (const [name, fairness, validationAttack] of [
    ["wat (cost 'trades': the loss's terms)", () => createWatStrategy({ cost: 'trades' }), createPgdAttack({ steps: 1, init: 'gaussian' })],
    ['frl-reweight-remargin (fixed ε, update before training)', () => createFrlStrategy('reweight-remargin'), createPgdAttack({ steps: 1 })],
  ] as const) {
    it(name, async () => {
      const dataset = createSyntheticDataset({ numClasses: 3, imageSize: 4, trainPerClass: 4, validationPerClass: 2, testPerClass: 0 });
      const model = createSmallCnn({ numClasses: 3, inputShape: [4, 4, 3], width: 2, seed: 1 });
      await expectNoTensorLeak(
        () =>
          fit({
            model,
            dataset,
            attack: createPgdAttack({ steps: 1, init: 'gaussian', relativeStepSize: 0.25 }),
            objective: createTradesObjective({ beta: 6 }),
            fairness: fairness(),
            epochs: 2,
            batchSize: 6,
            epsilon: 8 / 255,
            optimizer: sgd,
            schedule: { type: 'constant' },
            seed: 0,
            validation: { attack: validationAttack, batchSize: 4 },
          }),
        name,
      );
      model.dispose();
    });
  }
});
