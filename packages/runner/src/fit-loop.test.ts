import { createPgdAttack } from '@robustfair/attacks';
import { fit, type FitOptions } from '@robustfair/core';
import { createInMemoryDataset, createSyntheticDataset } from '@robustfair/datasets';
import { createRsladDistiller, createSatObjective, createTradesObjective } from '@robustfair/distillers';
import { createClassReweightStrategy } from '@robustfair/fairness-strategies';
import { createSmallCnn } from '@robustfair/models';
import type { ClassKnobs, FairnessStrategy } from '@robustfair/spec';
import { createLinearModel, expectNoTensorLeak } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';

// fit() with every real plugin; lives here because the runner is the package that depends on all of them.

const fixedKnobs = (knobs: ClassKnobs): FairnessStrategy => ({
  specificationVersion: 'v1',
  id: 'fixed-knobs',
  requires: { split: 'train', signals: [] },
  init: () => null,
  update: (state) => state,
  knobs: () => knobs,
});

const sgd = { learningRate: 0.1, momentum: 0, weightDecay: 0, nesterov: false };

describe('fit() loss weighting', () => {
  const inputs = [0.2, 0.9, 0.5, 0.1, 0.7, 0.4, 0.3, 0.3, 0.8, 0.6, 0.1, 0.5];
  const labels = [0, 1, 2, 1, 0, 2];
  const startWeights = [
    [0.3, -0.2, 0.1],
    [-0.1, 0.4, 0.2],
  ];
  const startBias = [0.05, -0.05, 0];
  const classWeight = [0.5, 2, 1];

  /** The expected first step, computed directly: W − lr·∇ of the weighted loss, no loop involved. */
  function expectedAfterOneStep(reduction: 'mean' | 'weight-normalised'): number[] {
    return tf.tidy(() => {
      const x = tf.tensor2d(inputs, [6, 2]);
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 3);
      const w = tf.tensor1d(labels.map((label) => classWeight[label]!));
      const loss = (weights: tf.Tensor, bias: tf.Tensor) => {
        const logits = tf.add(tf.matMul(x, weights), bias);
        const ce = tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(logits)), 1));
        const weighted = tf.sum(tf.mul(w, ce));
        return reduction === 'mean' ? tf.div(weighted, 6) : tf.div(weighted, tf.sum(w));
      };
      const weights = tf.tensor2d(startWeights);
      const bias = tf.tensor1d(startBias);
      const [gradientWeights, gradientBias] = tf.grads(loss)([weights, bias]);
      return [
        ...tf.sub(weights, tf.mul(gradientWeights!, 0.1)).dataSync(),
        ...tf.sub(bias, tf.mul(gradientBias!, 0.1)).dataSync(),
      ];
    });
  }

  for (const reduction of ['mean', 'weight-normalised'] as const) {
    it(`multiplies each sample's loss by its class weight and reduces by '${reduction}'`, async () => {
      const model = createLinearModel({ weights: startWeights, bias: startBias, inputShape: [1, 1, 2] });
      const dataset = createInMemoryDataset({
        id: 'six',
        numClasses: 3,
        inputShape: [1, 1, 2],
        splits: { train: { images: new Float32Array(inputs), labels } },
      });
      await fit({
        model,
        dataset,
        // ε = 0 for every class: the attack returns the clean batch, so the loss is plain weighted CE.
        attack: createPgdAttack({ steps: 1, stepSize: 0.1, init: 'none' }),
        objective: createSatObjective(),
        fairness: fixedKnobs({ robustWeight: classWeight, epsilon: [0, 0, 0], reduction }),
        epochs: 1,
        batchSize: 6,
        epsilon: 8 / 255,
        optimizer: sgd,
        schedule: { type: 'constant' },
        seed: 0,
      });
      const actual = model.trainableVariables().flatMap((variable) => Array.from(variable.dataSync()));
      const expected = expectedAfterOneStep(reduction);
      expected.forEach((value, index) => expect(actual[index]).toBeCloseTo(value, 5));
      model.dispose();
    });
  }

  it('distils with per-sample teacher temperatures: RSLAD 5/6 and 1/6 of KLmean, temperatures by class', async () => {
    const model = createLinearModel({ weights: startWeights, bias: startBias, inputShape: [1, 1, 2] });
    const teacher = createLinearModel({ weights: [[1, -1, 0.5], [0.2, 0.3, -0.4]], bias: [0, 0.1, -0.1], inputShape: [1, 1, 2] });
    const dataset = createInMemoryDataset({ id: 'six', numClasses: 3, inputShape: [1, 1, 2], splits: { train: { images: new Float32Array(inputs), labels } } });
    const temperature = { natural: [1, 2, 0.5], adversarial: [0.5, 1, 4] };
    await fit({
      model,
      teacher,
      dataset,
      attack: createPgdAttack({ steps: 1, stepSize: 0.1, init: 'none' }),
      distiller: createRsladDistiller(),
      fairness: fixedKnobs({ temperature, epsilon: [0, 0, 0] }),
      epochs: 1,
      batchSize: 6,
      epsilon: 8 / 255,
      optimizer: sgd,
      schedule: { type: 'constant' },
      seed: 0,
    });
    // By hand: with ε = 0 both student forwards see x; q_nat/q_adv = softmax(teacher(x) / T[y]);
    // loss = 5/6 · KLmean(q_adv ‖ p) + 1/6 · KLmean(q_nat ‖ p), KLmean = mean over all B·C entries.
    const expected = tf.tidy(() => {
      const x = tf.tensor2d(inputs, [6, 2]);
      const teacherLogits = tf.add(tf.matMul(x, tf.tensor2d([[1, -1, 0.5], [0.2, 0.3, -0.4]])), tf.tensor1d([0, 0.1, -0.1]));
      const soft = (values: number[]) => tf.softmax(tf.div(teacherLogits, tf.reshape(tf.tensor1d(labels.map((label) => values[label]!)), [6, 1])));
      const qNat = soft(temperature.natural);
      const qAdv = soft(temperature.adversarial);
      const klMean = (q: tf.Tensor, logits: tf.Tensor) => tf.mean(tf.mul(q, tf.sub(tf.log(tf.add(q, 1e-5)), tf.logSoftmax(logits))));
      const loss = (weights: tf.Tensor, bias: tf.Tensor) => {
        const logits = tf.add(tf.matMul(x, weights), bias);
        return tf.add(tf.mul(klMean(qAdv, logits), 5 / 6), tf.mul(klMean(qNat, logits), 1 / 6)) as tf.Scalar;
      };
      const weights = tf.tensor2d(startWeights);
      const bias = tf.tensor1d(startBias);
      const [gradientWeights, gradientBias] = tf.grads(loss)([weights, bias]);
      return [...tf.sub(weights, tf.mul(gradientWeights!, 0.1)).dataSync(), ...tf.sub(bias, tf.mul(gradientBias!, 0.1)).dataSync()];
    });
    const actual = model.trainableVariables().flatMap((variable) => Array.from(variable.dataSync()));
    expected.forEach((value, index) => expect(actual[index]).toBeCloseTo(value, 5));
    model.dispose();
    teacher.dispose();
  });

  it('refuses temperatures when the objective has no teacher', async () => {
    const model = createLinearModel({ weights: startWeights, bias: startBias, inputShape: [1, 1, 2] });
    const dataset = createInMemoryDataset({ id: 'six', numClasses: 3, inputShape: [1, 1, 2], splits: { train: { images: new Float32Array(inputs), labels } } });
    const options: FitOptions = {
      model,
      dataset,
      attack: createPgdAttack({ steps: 1 }),
      objective: createSatObjective(),
      fairness: fixedKnobs({ temperature: { adversarial: [1, 2, 3] } }),
      epochs: 1,
      batchSize: 6,
      epsilon: 8 / 255,
      optimizer: sgd,
      schedule: { type: 'constant' },
      seed: 0,
    };
    await expect(fit(options)).rejects.toThrow(/sets teacher temperatures, but 'sat' does not accept them/);
    model.dispose();
  });
});

describe('fit() memory', () => {
  for (const objective of [createSatObjective(), createTradesObjective({ beta: 6 })]) {
    it(`leaves no tensor behind after full epochs (${objective.id}, class-reweight, small CNN)`, async () => {
      const dataset = createSyntheticDataset({ numClasses: 3, imageSize: 6, trainPerClass: 10, validationPerClass: 0, testPerClass: 0 });
      const model = createSmallCnn({ numClasses: 3, inputShape: [6, 6, 3], width: 2, seed: 1 });
      await expectNoTensorLeak(
        () =>
          fit({
            model,
            dataset,
            attack: createPgdAttack({ steps: 2, stepSize: 2 / 255, init: objective.id === 'trades' ? 'gaussian' : 'uniform' }),
            objective,
            fairness: createClassReweightStrategy(),
            epochs: 2,
            batchSize: 8,
            epsilon: 8 / 255,
            optimizer: { learningRate: 0.05, momentum: 0.9, weightDecay: 2e-4, nesterov: false },
            schedule: { type: 'constant' },
            seed: 0,
            logEvery: 1,
            recordSignals: ['natural-error', 'boundary-error', 'robust-ce', 'natural-ce', 'natural-loss'],
          }),
        `fit(${objective.id})`,
      );
      model.dispose();
    });
  }
});
