import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCwMarginObjective } from '@robustfair/attacks';
import { crossEntropyPerSample, learningRateAt, type LearningRateSchedule } from '@robustfair/core';
import { createCifar10Dataset } from '@robustfair/datasets/node';
import type { Split } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 12, the study's fidelity comparisons (studies/cifar10-cpu/torch): the PyTorch reference
// of an arm reads the arm's result.json, picks exactly the images robustfair picked, and writes
// the class-wise rows the comparison table reads; the official-AutoAttack script attacks the
// same images as robustfair's `aa` row. Runs when Debian's python3-torch and the built CLI are
// there, on a synthetic CIFAR-10-format directory written here (no real data needed).

const torchDirectory = fileURLToPath(new URL('../../../studies/cifar10-cpu/torch/', import.meta.url));
const bin = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));
const torchPython = ['/usr/bin/python3', 'python3'].find((python) => spawnSync(python, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0);
const missing = torchPython === undefined ? 'python3 with torch and numpy' : existsSync(bin) ? undefined : 'the built CLI (pnpm build)';
if (missing !== undefined) console.warn(`study-fidelity.test.ts: skipped, needs ${missing}`);

const recordsPerFile = 40; // 5 train files (200 images) and test_batch (40), all the same length as the reader requires
const recordBytes = 1 + 3 * 32 * 32;
/** Labels interleaved unevenly across files so that "first N of each class" is not a plain prefix. */
const labelOf = (index: number) => (index * 7 + Math.floor(index / 13)) % 10;

/**
 * One CIFAR-10 binary record: label byte, then R, G, B planes. The image's own index sits in
 * the red bytes of pixels (0, 0) and (0, 1), so the selection can be read back from pixels; the
 * rest is a class colour plus noise, so one epoch has something to learn.
 */
function record(index: number, label: number, noise: () => number): Uint8Array {
  const bytes = new Uint8Array(recordBytes);
  bytes[0] = label;
  for (let channel = 0; channel < 3; channel++) {
    const base = (((label + 1) * (channel + 3) * 37) % 200) + 20;
    for (let pixel = 0; pixel < 1024; pixel++) bytes[1 + channel * 1024 + pixel] = Math.max(0, Math.min(255, base + noise()));
  }
  bytes[1] = index & 255;
  bytes[2] = index >> 8;
  return bytes;
}

async function writeSyntheticCifar(directory: string): Promise<void> {
  let state = 12345;
  const noise = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) % 41) - 20;
  const files = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin'];
  for (const [fileIndex, file] of files.entries()) {
    const isTest = file === 'test_batch.bin';
    const chunks = Array.from({ length: recordsPerFile }, (_, offset) => {
      const index = isTest ? offset : fileIndex * recordsPerFile + offset;
      return record(index, labelOf(isTest ? index + 3 : index), noise);
    });
    await writeFile(path.join(directory, file), Buffer.concat(chunks));
  }
}

const dataOptions = {
  subset: { perClass: 12, testPerClass: 3 },
  validation: { perClass: 3, take: 'last' },
};

let directory: string;
let data: string;
let arm: string;
const python = (script: string, args: string[]) => {
  const run = spawnSync(torchPython as string, [path.join(torchDirectory, script), ...args], { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`${script} failed (${run.status}): ${run.stderr}`);
  return run.stdout;
};

describe.skipIf(missing !== undefined)('study fidelity scripts (studies/cifar10-cpu/torch)', () => {
  beforeAll(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-fidelity-'));
    data = path.join(directory, 'cifar');
    await mkdir(data);
    await writeSyntheticCifar(data);
    const config = path.join(directory, 'sat.json');
    await writeFile(
      config,
      JSON.stringify({
        name: 'fidelity-sat',
        dataset: { id: 'cifar10', options: { directory: data, ...dataOptions, augmentation: { crop: { padding: 4 }, flip: true } } },
        model: { id: 'small-cnn', options: { width: 4 } },
        objective: { id: 'sat' },
        trainingAttack: { id: 'pgd', options: { steps: 1 } },
        training: { epochs: 2, batchSize: 10, optimizer: { learningRate: 0.05 }, schedule: { type: 'multistep', milestones: [1] } },
        selection: { rule: 'average-plus-worst', attack: { preset: 'pgd20', name: 'pgd1', overrides: { steps: 1 } } },
        evaluation: {
          batchSize: 30,
          // larger than the training ε, so that the attacks below change some verdicts of this easy data
          epsilon: 0.1,
          attacks: [
            'fgsm',
            { preset: 'pgd20', overrides: { steps: 2 } },
            { preset: 'cw', overrides: { steps: 2 } },
            // no random start: deterministic, so PyTorch on the same weights must give the same verdicts
            { name: 'fgsm-none', attack: { id: 'fgsm', options: { init: 'none' } } },
            { preset: 'pgd20', name: 'pgd-none', overrides: { steps: 3, stepSize: 0.04, init: 'none' } },
            { preset: 'cw', name: 'cw-none', overrides: { steps: 3, stepSize: 0.04, init: 'none' } },
          ],
        },
      }),
    );
    const train = spawnSync(process.execPath, [bin, 'train', config, '--out', path.join(directory, 'runs')], {
      encoding: 'utf8',
      timeout: 110_000,
      env: { ...process.env, ROBUSTFAIR_WASM_THREADS: '1' },
    });
    if (train.status !== 0) throw new Error(`robustfair train failed: ${train.stderr}`);
    arm = path.join(directory, 'runs', 'fidelity-sat', 'fidelity-sat');
    const exported = spawnSync(process.execPath, [bin, 'export', arm], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ROBUSTFAIR_CIFAR10_DIR: data } });
    if (exported.status !== 0) throw new Error(`robustfair export failed: ${exported.stderr}`);
  }, 150_000);
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it("reference_arm.py's learning-rate schedules and attack/training objectives are robustfair's", () => {
    const schedules: LearningRateSchedule[] = [
      { type: 'constant' },
      { type: 'multistep', milestones: [2, 4], factor: 0.1 },
      { type: 'cosine', minimum: 0.01 },
    ];
    const logits = [[2, -1, 0.5, 3], [0.1, 0.2, 0.3, 0.4], [5, 1, 1, -2]];
    const labels = [0, 3, 0];
    const script = [
      'import json, sys, torch',
      `sys.path.insert(0, ${JSON.stringify(torchDirectory)})`,
      'import reference_arm as r',
      `schedules = ${JSON.stringify(schedules)}`,
      `z = torch.tensor(${JSON.stringify(logits)}); y = torch.tensor(${JSON.stringify(labels)})`,
      'print(json.dumps({',
      "  'rates': [[r.learning_rate_at(s, 0.1, e, 6) for e in range(6)] for s in schedules],",
      "  'ce': r.cross_entropy_objective(z, y).tolist(),",
      "  'cw0': r.cw_margin_objective(0)(z, y).tolist(), 'cw50': r.cw_margin_objective(50)(z, y).tolist(),",
      "}))",
    ].join('\n');
    const run = spawnSync(torchPython as string, ['-c', script], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const python = JSON.parse(run.stdout) as { rates: number[][]; ce: number[]; cw0: number[]; cw50: number[] };
    schedules.forEach((schedule, index) => {
      const ours = Array.from({ length: 6 }, (_, epoch) => learningRateAt(schedule, 0.1, epoch, 6));
      python.rates[index]?.forEach((rate, epoch) => expect(rate).toBeCloseTo(ours[epoch] as number, 12));
    });
    const z = tf.tensor2d(logits);
    const y = tf.tensor1d(labels, 'int32');
    const expected = {
      ce: crossEntropyPerSample(z, y),
      cw0: createCwMarginObjective({ confidence: 0 })(z, y),
      cw50: createCwMarginObjective({ confidence: 50 })(z, y),
    };
    for (const [name, tensor] of Object.entries(expected)) {
      const ours = Array.from(tensor.dataSync());
      python[name as keyof typeof expected].forEach((value, index) => expect(value).toBeCloseTo(ours[index] as number, 5));
    }
    tf.dispose([z, y, ...Object.values(expected)]);
  });

  it("reference_arm.py picks exactly robustfair's train, validation and test images", async () => {
    const picked = JSON.parse(python('reference_arm.py', ['--result', path.join(arm, 'result.json'), '--data', data, '--selection-only'])) as Record<Split, number[]>;
    const dataset = createCifar10Dataset({ directory: data, ...dataOptions } as Parameters<typeof createCifar10Dataset>[0]);
    for (const split of ['train', 'validation', 'test'] as const) {
      const indices: number[] = [];
      for await (const { inputs, labels } of dataset.batches(split, { batchSize: 64, shuffle: false, seed: 0 })) {
        const pixels = await inputs.data();
        const imageLength = 32 * 32 * 3;
        for (let image = 0; image < inputs.shape[0]; image++) {
          // red of pixel (0, 0) and of pixel (0, 1), NHWC, back to bytes
          indices.push(Math.round((pixels[image * imageLength] as number) * 255) + 256 * Math.round((pixels[image * imageLength + 3] as number) * 255));
        }
        tf.dispose([inputs, labels]);
      }
      expect(picked[split], split).toEqual(indices);
    }
    expect(picked.validation).toHaveLength(30);
    expect(picked.test).toHaveLength(30);
  });

  it('reference_arm.py trains and evaluates the arm under its protocol and writes the rows compare_fidelity.py reads', async () => {
    const output = path.join(directory, 'torch.json');
    python('reference_arm.py', ['--result', path.join(arm, 'result.json'), '--seed', '3', '--data', data, '--out', output, '--threads', '1']);
    const reference = JSON.parse(await readFile(output, 'utf8')) as {
      method: string;
      seed: number;
      torch: string;
      threads: number;
      wallSeconds: { training: number; evaluation: number; total: number };
      samples: Record<Split, number>;
      selection: { rule: string; scores: unknown[]; chosenEpoch: number | null };
      rows: { id: string; classAccuracy: number[]; average: number; worstClass: { accuracy: number; classIndex: number }; nsd: number | null }[];
      perSample: { labels: number[]; correct: Record<string, boolean[]> };
    };
    expect(reference).toMatchObject({ method: 'sat', seed: 3, threads: 1, samples: { train: 90, validation: 30, test: 30 } });
    expect(reference.torch).toMatch(/^\d+\.\d+/);
    expect(reference.wallSeconds.total).toBeGreaterThan(0);
    expect(reference.selection).toMatchObject({ rule: 'average-plus-worst' });
    expect(reference.selection.scores).toHaveLength(2);
    expect([0, 1]).toContain(reference.selection.chosenEpoch);
    expect(reference.rows.map((row) => row.id)).toEqual(['clean', 'fgsm', 'pgd20', 'cw', 'fgsm-none', 'pgd-none', 'cw-none', 'worst-case']);
    const result = JSON.parse(await readFile(path.join(arm, 'result.json'), 'utf8')) as { evaluation: { clean: { average: number } } };
    const evaluation = JSON.parse(await readFile(path.join(arm, 'evaluation.json'), 'utf8')) as { perSample: { labels: number[] } };
    // same test images in the same order
    expect(reference.perSample.labels).toEqual(evaluation.perSample.labels);
    for (const row of reference.rows) {
      expect(row.classAccuracy).toHaveLength(10);
      expect(row.average).toBeGreaterThanOrEqual(0);
      expect(row.average).toBeLessThanOrEqual(1);
      expect(row.worstClass.accuracy).toBe(Math.min(...row.classAccuracy));
      expect(reference.perSample.correct[row.id]).toHaveLength(30);
      const mean = row.classAccuracy.reduce((a, b) => a + b, 0) / 10;
      const nsd = Math.sqrt(row.classAccuracy.reduce((total, accuracy) => total + (accuracy - mean) ** 2, 0) / 10) / mean;
      if (mean > 0) expect(row.nsd).toBeCloseTo(nsd, 12);
      else expect(row.nsd).toBeNull();
    }
    // one epoch of a width-4 CNN on 90 images: seeds differ, so only plausibility, not equality
    const clean = reference.rows[0]?.average as number;
    expect(Math.abs(clean - result.evaluation.clean.average)).toBeLessThanOrEqual(0.6);
  }, 60_000);

  it("reference_arm.py's attacks on robustfair's own weights, without random starts, give robustfair's per-sample verdicts", async () => {
    const output = path.join(directory, 'torch-weights.json');
    python('reference_arm.py', ['--result', path.join(arm, 'result.json'), '--data', data, '--weights', path.join(arm, 'model.safetensors'), '--out', output]);
    const reference = JSON.parse(await readFile(output, 'utf8')) as { epochs: unknown[]; perSample: { labels: number[]; correct: Record<string, boolean[]> } };
    const evaluation = JSON.parse(await readFile(path.join(arm, 'evaluation.json'), 'utf8')) as { perSample: { labels: number[]; correct: Record<string, boolean[]> } };
    expect(reference.epochs).toEqual([]);
    expect(reference.perSample.labels).toEqual(evaluation.perSample.labels);
    for (const row of ['clean', 'fgsm-none', 'pgd-none', 'cw-none']) {
      const ours = evaluation.perSample.correct[row] as boolean[];
      const theirs = reference.perSample.correct[row] as boolean[];
      expect(theirs).toHaveLength(30);
      // float32 in two libraries: a sign of a near-zero gradient or a near-tie may differ, rarely
      expect(theirs.filter((flag, index) => flag !== ours[index]).length, row).toBeLessThanOrEqual(1);
    }
    // compare_fidelity.py puts both runs in its tables (the trained reference of the test above, when it ran)
    const trained = path.join(directory, 'torch.json');
    const table = python('compare_fidelity.py', [
      '--robustfair', path.join(arm, 'result.json'),
      ...(existsSync(trained) ? ['--pytorch', trained] : []),
      '--same-weights', output,
      '--same-weights-evaluation', path.join(arm, 'evaluation.json'),
    ]);
    expect(table).toContain('| Method | Attack | Metric | robustfair | PyTorch |');
    expect(table).toMatch(/\| SAT \| CW∞ \| NSD \| [\d.–]+ \| [\d.–]+ \|/);
    expect(table).toMatch(/\| pgd-none \| [\d.]+ \| [\d.]+ \| (29|30) \/ 30 \|/);
  });

  it('reference_arm.py refuses arms it does not reproduce: a fairness strategy other than identity, a distiller', async () => {
    const result = JSON.parse(await readFile(path.join(arm, 'result.json'), 'utf8')) as { spec: Record<string, unknown> };
    const variants = {
      fairness: { ...result.spec, fairness: { id: 'frl-reweight' } },
      distiller: { ...result.spec, distiller: { id: 'rslad' }, teacher: { model: { id: 'small-cnn' } } },
    };
    for (const [name, spec] of Object.entries(variants)) {
      const file = path.join(directory, `refused-${name}.json`);
      await writeFile(file, JSON.stringify({ ...result, spec }));
      const run = spawnSync(torchPython as string, [path.join(torchDirectory, 'reference_arm.py'), '--result', file, '--data', data], { encoding: 'utf8', timeout: 60_000 });
      expect(run.status, name).toBe(2);
      expect(run.stderr).toMatch(name === 'fairness' ? /refused: .*fairness strategy 'frl-reweight'/ : /refused: .*distiller \(rslad\)/);
    }
  });

  it("official_autoattack.py loads the exported weights and attacks the images of robustfair's per-class subset", async () => {
    const checked = JSON.parse(
      python('official_autoattack.py', ['--result', path.join(arm, 'result.json'), '--weights', path.join(arm, 'model.safetensors'), '--data', data, '--per-class', '2', '--check-only']),
    ) as { positions: number[]; testIndices: number[]; labels: number[]; clean: { flags: boolean[] } };
    const evaluation = JSON.parse(await readFile(path.join(arm, 'evaluation.json'), 'utf8')) as { perSample: { labels: number[]; correct: Record<string, boolean[]> } };
    // robustfair's per-class subset: the first 2 of each class, in the evaluation split's order
    const seen = new Array<number>(10).fill(0);
    const expected = evaluation.perSample.labels.flatMap((label, position) => ((seen[label] = (seen[label] ?? 0) + 1) <= 2 ? [position] : []));
    expect(checked.positions).toEqual(expected);
    expect(checked.labels).toEqual(expected.map((position) => evaluation.perSample.labels[position]));
    expect(checked.testIndices).toHaveLength(20);
    expect(checked.testIndices).toEqual([...checked.testIndices].sort((a, b) => a - b));
    // same weights, same images: PyTorch's clean verdicts are robustfair's (logits agree to 1e-4)
    const cleanFlags = expected.map((position) => evaluation.perSample.correct['clean']?.[position]);
    const disagreements = checked.clean.flags.filter((flag, index) => flag !== cleanFlags[index]).length;
    expect(disagreements).toBeLessThanOrEqual(1);
  }, 60_000);
});
