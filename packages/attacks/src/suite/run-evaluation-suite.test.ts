import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Attack, Model } from '@robustfair/spec';
import { createArrayDataset, createLinearModel, expectNoTensorLeak } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { SuiteProgress } from './run-evaluation-suite.js';
import { countByClass, runEvaluationSuite } from './run-evaluation-suite.js';
import { writeEvaluationCsv, writeEvaluationJson } from '../node/write-evaluation-files.js';
import { formatEvaluationCsv, formatEvaluationJson } from './write-evaluation-report.js';

// One pixel x, three classes: z = (0, x − 0.5, 3x − 2), so the prediction is class 0 for
// x < 0.5, class 1 for 0.5 < x < 0.75 and class 2 for x > 0.75.
const makeModel = () => createLinearModel({ weights: [[0, 1, 3]], bias: [0, -0.5, -2], inputShape: [1, 1, 1] });

// Unbalanced (6, 2, 3 samples) and unsorted labels.
const labels = [2, 0, 1, 0, 0, 2, 0, 1, 0, 0, 2];
const pixels = [0.9, 0.1, 0.6, 0.2, 0.6, 0.8, 0.25, 0.2, 0.9, 0.05, 0.3];
// correct on the clean input, by the regions above:
//   class 0 (x = 0.1, 0.2, 0.6, 0.25, 0.9, 0.05) → ✓ ✓ ✗ ✓ ✗ ✓  = 4 / 6
//   class 1 (x = 0.6, 0.2)                        → ✓ ✗          = 1 / 2
//   class 2 (x = 0.9, 0.8, 0.3)                   → ✓ ✓ ✗        = 2 / 3
const classEpsilon = [0.27, 0, 0.1];

/** A deterministic "attack" that moves every pixel by ±ε (its own sample's ε), then clips to [0, 1]. */
const shift = (id: string, direction: 1 | -1): { id: string; attack: Attack } => ({
  id,
  attack: {
    specificationVersion: 'v1',
    id,
    norm: 'linf',
    perturb: ({ inputs, epsilon }) =>
      tf.tidy(() => tf.clipByValue(tf.add(inputs, tf.mul(tf.reshape(epsilon, [-1, 1, 1, 1]), direction)), 0, 1) as tf.Tensor4D),
  },
});
// up (ε = 0.27, 0, 0.1): class 0 → 0.37 ✓, 0.47 ✓, 0.87 ✗, 0.52 ✗, 1 ✗, 0.32 ✓ = 3/6; class 1 unchanged 1/2;
//   class 2 → 1 ✓, 0.9 ✓, 0.4 ✗ = 2/3
// down: class 0 → 0 ✓, 0 ✓, 0.33 ✓, 0 ✓, 0.63 ✗, 0 ✓ = 5/6; class 1 1/2; class 2 → 0.8 ✓, 0.7 ✗, 0.2 ✗ = 1/3
// worst case (clean ∧ up ∧ down): class 0 → ✓ ✓ ✗ ✗ ✗ ✓ = 3/6; class 1 → ✓ ✗ = 1/2; class 2 → ✓ ✗ ✗ = 1/3

const dataset = createArrayDataset({
  id: 'one-pixel',
  numClasses: 3,
  inputShape: [1, 1, 1],
  splits: { test: { pixels, labels } },
});

describe(runEvaluationSuite, () => {
  it("forwards a long attack's inner steps as progress of its row on the current batch", async () => {
    const model = makeModel();
    const steps: SuiteProgress[] = [];
    const chatty: { id: string; attack: Attack } = {
      id: 'chatty',
      attack: {
        ...shift('chatty', 1).attack,
        perturb: (request) => {
          request.onProgress?.({ step: 'stage 1/2 done' });
          return shift('chatty', 1).attack.perturb(request);
        },
      },
    };
    await runEvaluationSuite({
      model,
      dataset,
      attacks: [chatty],
      epsilon: classEpsilon,
      batchSize: 8,
      seed: 3,
      bootstrap: { resamples: 10 },
      onProgress: (event) => {
        if (event.step !== undefined) steps.push(event);
      },
    });
    model.dispose();
    expect(steps.map(({ row, batch, batches, step }) => [row, batch, batches, step])).toEqual([
      ['chatty', 1, 2, 'stage 1/2 done'],
      ['chatty', 2, 2, 'stage 1/2 done'],
    ]);
  });

  it('runs a perClass attack on the first samples of each class only, on its own row, outside the worst case', async () => {
    const model = makeModel();
    const report = await runEvaluationSuite({
      model,
      dataset,
      attacks: [shift('down', -1), { ...shift('up-first-2', 1), perClass: 2 }],
      epsilon: classEpsilon,
      batchSize: 4,
      seed: 3,
      bootstrap: { resamples: 50 },
    });
    model.dispose();
    const byId = Object.fromEntries(report.rows.map((row) => [row.id, row]));
    // The first two samples of each class in dataset order: class 0 at 1, 3 (x = 0.1, 0.2);
    // class 1 at 2, 7 (0.6, 0.2); class 2 at 0, 5 (0.9, 0.8). Up by (0.27, 0, 0.1):
    // 0.37 ✓, 0.47 ✓ | 0.6 ✓, 0.2 ✗ | 1 ✓, 0.9 ✓.
    expect(report.perSample.subsets).toEqual({ 'up-first-2': [0, 1, 2, 3, 5, 7] });
    expect(byId['up-first-2']?.counts).toEqual({ numClasses: 3, count: [2, 2, 2], correct: [2, 1, 2] });
    // The worst case is clean ∧ down only, over every sample (per-sample flags as in the next test):
    // class 0: clean ✓ ✓ ✗ ✓ ✗ ✓, down ✓ ✓ ✓ ✓ ✗ ✓ → 4; class 1: 1; class 2: clean ✓ ✓ ✗, down ✓ ✗ ✗ → 1.
    expect(byId['worst-case']?.counts).toEqual({ numClasses: 3, count: [6, 2, 3], correct: [4, 1, 1] });
  });

  it('counts every class explicitly on an unbalanced, unsorted test set, per attack and for the per-sample worst case', async () => {
    const model = makeModel();
    const progress: SuiteProgress[] = [];
    const report = await runEvaluationSuite({
      model,
      dataset,
      attacks: [shift('up', 1), shift('down', -1)],
      epsilon: classEpsilon,
      batchSize: 4,
      seed: 3,
      bootstrap: { resamples: 200 },
      onProgress: (event) => progress.push(event),
    });
    model.dispose();
    expect(report.rows.map((row) => row.id)).toEqual(['clean', 'up', 'down', 'worst-case']);
    const byId = Object.fromEntries(report.rows.map((row) => [row.id, row]));
    expect(byId['clean']?.counts).toEqual({ numClasses: 3, count: [6, 2, 3], correct: [4, 1, 2] });
    expect(byId['up']?.counts.correct).toEqual([3, 1, 2]);
    expect(byId['down']?.counts.correct).toEqual([5, 1, 1]);
    expect(byId['worst-case']?.counts.correct).toEqual([3, 1, 1]);

    const clean = byId['clean'];
    expect(clean?.classAccuracy).toEqual([4 / 6, 1 / 2, 2 / 3]);
    expect(clean?.average).toBeCloseTo(7 / 11, 12);
    expect(clean?.worstClass).toEqual({ accuracy: 0.5, classIndex: 1 });
    // mean 11/18, deviations (1, −2, 1)/18, population variance 6/(3·324) = 1/162
    expect(clean?.nsd).toBeCloseTo(Math.sqrt(1 / 162) / (11 / 18), 12);
    const worstCase = byId['worst-case'];
    expect(worstCase?.average).toBeCloseTo(5 / 11, 12);
    expect(worstCase?.worstClass).toEqual({ accuracy: 1 / 3, classIndex: 2 });
    expect(worstCase?.worstClassInterval.estimate).toBeCloseTo(1 / 3, 12);

    expect(report.perSample.labels).toEqual(labels);
    // in dataset order: 0.9→✓, 0.1→✓, 0.6 (class 1, ε 0)→✓, 0.2→✓, 0.6→✗, 0.8 (down 0.7)→✗, 0.25 (up 0.52)→✗, 0.2→✗, 0.9→✗, 0.05→✓, 0.3→✗
    expect(report.perSample.correct['worst-case']).toEqual([true, true, true, true, false, false, false, false, false, true, false]);
    expect(report.samples).toBe(11);
    expect(report.flags).toEqual([]);
    // 3 batches (4, 4, 3), each reporting the clean pass and both attacks
    expect(progress.map((event) => `${event.row}@${event.batch}/${event.batches}:${event.samplesDone}`)).toEqual([
      'clean@1/3:4', 'up@1/3:4', 'down@1/3:4',
      'clean@2/3:8', 'up@2/3:8', 'down@2/3:8',
      'clean@3/3:11', 'up@3/3:11', 'down@3/3:11',
    ]);
  });

  it('leaks no tensor', async () => {
    const model = makeModel();
    await expectNoTensorLeak(
      () => runEvaluationSuite({ model, dataset, attacks: [shift('up', 1)], epsilon: 0.1, batchSize: 5, seed: 0, bootstrap: { resamples: 10 } }),
      'runEvaluationSuite',
    );
    model.dispose();
  });

  it('runs presets by id and records their resolved options', async () => {
    const model = makeModel();
    const report = await runEvaluationSuite({ model, dataset, attacks: ['fgsm'], epsilon: 0.05, seed: 1, bootstrap: { resamples: 10 } });
    model.dispose();
    expect(report.attacks).toEqual([
      { id: 'fgsm', plugin: 'fgsm', options: { init: 'gaussian', modelMode: 'eval' }, threatModel: 'white-box', norm: 'linf' },
    ]);
  });

  it('rejects duplicate row ids, training presets and an ε vector of the wrong length', async () => {
    const model = makeModel();
    await expect(runEvaluationSuite({ model, dataset, attacks: [shift('up', 1), shift('up', -1)], epsilon: 0.1, seed: 0 })).rejects.toThrow(
      /row ids must be unique/,
    );
    await expect(runEvaluationSuite({ model, dataset, attacks: ['fat'], epsilon: 0.1, seed: 0 })).rejects.toThrow(/preset 'fat' is a training attack/);
    await expect(runEvaluationSuite({ model, dataset, attacks: [], epsilon: [0.1, 0.2], seed: 0 })).rejects.toThrow(
      'evaluation suite: epsilon has 2 entries but the dataset has 3 classes',
    );
    model.dispose();
  });
});

describe('sanity flags', () => {
  const wrap = (model: Model, logits: Model['logits']): Model => ({ ...model, logits });

  it('flags probabilities instead of logits', async () => {
    const model = makeModel();
    const softmaxModel = wrap(model, (inputs, options) => tf.tidy(() => tf.softmax(model.logits(inputs, options))));
    const report = await runEvaluationSuite({ model: softmaxModel, dataset, attacks: [], epsilon: 0.1, seed: 0, bootstrap: { resamples: 5 } });
    model.dispose();
    expect(report.flags.map((flag) => flag.id)).toContain('softmax-outputs');
    expect(report.rows.map((row) => row.id)).toEqual(['clean']);
  });

  it('flags a model whose clean passes differ', async () => {
    const model = makeModel();
    let calls = 0;
    const noisy = wrap(model, (inputs, options) => tf.tidy(() => tf.add(model.logits(inputs, options), (calls += 1) * 1e-3)));
    const report = await runEvaluationSuite({ model: noisy, dataset, attacks: [], epsilon: 0.1, seed: 0, bootstrap: { resamples: 5 } });
    model.dispose();
    expect(report.flags.map((flag) => flag.id)).toContain('randomized-model');
  });
});

describe(countByClass, () => {
  it('rejects a label outside the classes, naming the sample', () => {
    expect(() => countByClass([0, 3], [true, true], 3)).toThrow('label 3 of sample 1 is not a class id in [0, 2]');
  });
});

describe('report writers', () => {
  it('write the JSON and the long-format CSV atomically', async () => {
    const model = makeModel();
    const report = await runEvaluationSuite({ model, dataset, attacks: [shift('up', 1)], epsilon: classEpsilon, seed: 0, bootstrap: { resamples: 20 } });
    model.dispose();
    const csv = formatEvaluationCsv(report);
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('attack,class,metric,value');
    // clean, up, worst-case: 3 classes × 3 lines + 6 summary lines each
    expect(lines).toHaveLength(1 + 3 * (9 + 6));
    expect(lines).toContain('up,0,correct,3');
    expect(lines).toContain('up,0,count,6');
    expect(lines).toContain('clean,all,worst-class,0.5');
    expect(lines).toContain('clean,all,worst-class-index,1');

    const directory = await mkdtemp(join(tmpdir(), 'robustfair-suite-'));
    try {
      const jsonPath = join(directory, 'nested', 'summary.json');
      const csvPath = join(directory, 'nested', 'classwise.csv');
      await writeEvaluationJson(jsonPath, report);
      await writeEvaluationCsv(csvPath, report);
      expect(await readFile(jsonPath, 'utf8')).toBe(formatEvaluationJson(report));
      expect(await readFile(csvPath, 'utf8')).toBe(csv);
      expect(JSON.parse(await readFile(jsonPath, 'utf8')).rows[0].counts.correct).toEqual([4, 1, 2]);
      // no temporary file is left next to the results
      expect((await readdir(join(directory, 'nested'))).sort()).toEqual(['classwise.csv', 'summary.json']);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
