import { createSeededRandom } from '@robustfair/core';
import type { JsonValue, Model, NamedVariable } from '@robustfair/spec';
import { createArrayDataset } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createPresetAttack } from '../presets/attack-presets.js';
import { runEvaluationSuite, type SuiteAttack } from './run-evaluation-suite.js';

// A small CNN trained in the test on synthetic 8×8 images: four classes, each a bright bar
// (top, bottom, left, right) on a grey background plus noise. @robustfair/models and
// @robustfair/core's fit() are not dependencies of this package, so the model and its few Adam
// steps are written here. Reduced attack budgets run in CI; ROBUSTFAIR_FULL_ATTACK_BUDGETS=1
// runs AutoAttack with its full budgets (100 iterations, 5000 queries).
const full = process.env['ROBUSTFAIR_FULL_ATTACK_BUDGETS'] === '1';
const size = 8;
const classes = 4;
const epsilon = 8 / 255;

function barImage(label: number, random: ReturnType<typeof createSeededRandom>): number[] {
  return Array.from({ length: size * size }, (_, pixel) => {
    const [row, column] = [Math.floor(pixel / size), pixel % size];
    const onBar = [row === 1 || row === 2, row === 5 || row === 6, column === 1 || column === 2, column === 5 || column === 6][label] ?? false;
    return Math.min(Math.max(0.4 + (onBar ? 0.12 : 0) + 0.1 * random.normal(), 0), 1);
  });
}

function makeSplit(counts: readonly number[], seed: number) {
  const random = createSeededRandom(seed);
  const labels = random.shuffled(counts.flatMap((count, label) => new Array<number>(count).fill(label)));
  return { labels, pixels: labels.flatMap((label) => barImage(label, random)) };
}

function createTinyCnn(seed: number): Model {
  const random = createSeededRandom(seed);
  const init = (shape: number[], fanIn: number) =>
    tf.variable(tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (random.float() * 2 - 1) / Math.sqrt(fanIn)), shape));
  const kernel = init([3, 3, 1, 8], 9);
  const kernelBias = tf.variable(tf.zeros([8]));
  const dense = init([4 * 4 * 8, classes], 128);
  const denseBias = tf.variable(tf.zeros([classes]));
  const variables = [kernel, kernelBias, dense, denseBias];
  const named: NamedVariable[] = variables.map((variable, index) => ({ name: `tiny-cnn/${index}`, variable, trainable: true }));
  return {
    numClasses: classes,
    inputShape: [size, size, 1],
    bounds: [0, 1],
    logits: (inputs) =>
      tf.tidy(() => {
        const features = tf.maxPool(tf.relu(tf.add(tf.conv2d(inputs, kernel as tf.Tensor4D, 1, 'same'), kernelBias)) as tf.Tensor4D, 2, 2, 'valid');
        return tf.add(tf.matMul(tf.reshape(features, [inputs.shape[0], -1]), dense as tf.Tensor2D), denseBias) as tf.Tensor2D;
      }),
    trainableVariables: () => variables,
    namedVariables: () => named,
    dispose: () => tf.dispose(variables),
  };
}

function train(model: Model, split: { labels: number[]; pixels: number[] }): void {
  const optimizer = tf.train.adam(0.02);
  const random = createSeededRandom(5);
  const batch = 32;
  for (let step = 0; step < 120; step++) {
    const indices = Array.from({ length: batch }, () => random.int(0, split.labels.length - 1));
    const inputs = tf.tensor4d(indices.flatMap((index) => split.pixels.slice(index * size * size, (index + 1) * size * size)), [batch, size, size, 1]);
    const labels = tf.tensor1d(indices.map((index) => split.labels[index] ?? 0), 'int32');
    optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, classes), model.logits(inputs, { training: true })) as tf.Scalar,
      false,
      model.trainableVariables() as tf.Variable[],
    );
    tf.dispose([inputs, labels]);
  }
  optimizer.dispose();
}

const suiteAttack = (preset: string, overrides: Readonly<Record<string, JsonValue>> = {}, id = preset): SuiteAttack => {
  const created = createPresetAttack(preset, { overrides });
  return { id, attack: created.attack, threatModel: created.threatModel, plugin: created.plugin, options: created.options };
};

describe(`a small trained CNN (${full ? 'full' : 'reduced'} attack budgets)`, () => {
  it('orders accuracy clean ≥ FGSM ≥ PGD-20 ≥ AA, and APGD-CE is at least as strong as PGD-20 at 20 iterations', async () => {
    const model = createTinyCnn(1);
    train(model, makeSplit([80, 80, 80, 80], 2));
    // unbalanced, shuffled test set
    const dataset = createArrayDataset({ id: 'bars', numClasses: classes, inputShape: [size, size, 1], splits: { test: makeSplit([110, 80, 60, 50], 3) } });
    const report = await runEvaluationSuite({
      model,
      dataset,
      attacks: [
        suiteAttack('fgsm'),
        suiteAttack('pgd20'),
        suiteAttack('apgd-ce', { steps: 20 }, 'apgd-ce-20'),
        suiteAttack('aa', full ? { targets: 3 } : { targets: 3, steps: 20, squareQueries: 100 }),
      ],
      epsilon,
      batchSize: 80,
      seed: 11,
      bootstrap: { resamples: 100 },
    });
    model.dispose();
    const accuracy = Object.fromEntries(report.rows.map((row) => [row.id, row.average])) as Record<string, number>;
    const [clean, fgsm, pgd, apgd, aa] = [accuracy['clean'], accuracy['fgsm'], accuracy['pgd20'], accuracy['apgd-ce-20'], accuracy['aa']].map(
      (value) => value ?? Number.NaN,
    ) as [number, number, number, number, number];
    // the model learned the task, and the attacks have something to break
    expect(clean).toBeGreaterThan(0.9);
    expect(pgd).toBeLessThan(clean);
    expect(fgsm).toBeLessThanOrEqual(clean);
    expect(pgd).toBeLessThanOrEqual(fgsm);
    expect(aa).toBeLessThanOrEqual(pgd);
    expect(apgd).toBeLessThanOrEqual(pgd);
    // AA's first stage is APGD-CE, so the cascade is never weaker than its own first attack
    expect(report.flags).toEqual([]);
    expect(report.rows.at(-1)?.counts.count).toEqual([110, 80, 60, 50]);
  });
});
