import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InvalidOptionsError } from '@robustfair/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedConfig } from './config/load-config.js';
import { parseExperimentSpec } from './config/load-config.js';
import { silentReporter } from './progress/progress-reporter.js';
import { runExperiments } from './run-experiments.js';
import type { ArmResult } from './run/run-types.js';
import { teacherWarnings } from './run/teachers.js';

/** A tiny two-arm comparison: 4 classes of 6×6 images, width-2 CNN, 3 epochs. Seconds on cpu. */
function tinyConfig(overrides: Record<string, unknown> = {}): LoadedConfig {
  const raw: Record<string, unknown> = {
    name: 'tiny',
    seed: 3,
    backend: 'cpu',
    dataset: { id: 'synthetic', options: { numClasses: 4, imageSize: 6, trainPerClass: 12, validationPerClass: 0, testPerClass: 6 } },
    model: { id: 'small-cnn', options: { width: 2 } },
    trainingAttack: { id: 'pgd', options: { steps: 2, stepSize: '4/255' } },
    training: { epochs: 3, batchSize: 16, epsilon: '8/255', optimizer: { learningRate: 0.05 } },
    evaluation: { batchSize: 24, attacks: [{ name: 'pgd3', attack: { id: 'pgd', options: { steps: 3 } } }] },
    ...overrides,
  };
  return {
    file: path.join(os.tmpdir(), 'tiny.json'),
    raw,
    spec: parseExperimentSpec(raw),
    compare: { field: 'fairness', arms: [{ value: { id: 'identity' } }, { value: { id: 'class-reweight', options: { power: 2, min: 0.25, max: 4 } } }] },
  };
}

let out: string;
beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'robustfair-runner-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

const withoutTimings = (result: ArmResult) =>
  JSON.parse(JSON.stringify(result, (key, value: unknown) => (key === 'seconds' ? undefined : value))) as unknown;

describe(runExperiments, () => {
  it('runs both arms, writes results, and class-reweight follows its rule on the previous epoch’s errors', async () => {
    const comparison = await runExperiments(tinyConfig(), { out, reporter: silentReporter });
    expect(comparison.arms.map((arm) => arm.label)).toEqual(['identity', 'class-reweight']);
    const stored = JSON.parse(await readFile(path.join(out, 'tiny', 'class-reweight', 'result.json'), 'utf8')) as ArmResult;
    expect(stored.resolvedOptions['fairness']).toEqual({ id: 'class-reweight', options: { power: 2, min: 0.25, max: 4 } });
    expect(stored.seed).toBe(3);
    expect(stored.versions['@robustfair/core']).toMatch(/^\d+\.\d+\.\d+/);

    const epochs = stored.training.epochs;
    expect(epochs).toHaveLength(3);
    expect(epochs[0]!.knobs.robustWeight).toEqual([1, 1, 1, 1]);
    for (let epoch = 1; epoch < epochs.length; epoch++) {
      const previous = epochs[epoch - 1]!.statistics;
      // The rule, by hand: e_c = errors/count; v = (e/mean e)^2; w = clip(v / mean(v), 0.25, 4).
      const errors = previous.sums['robust-error']!.map((sum, c) => sum / previous.count[c]!);
      const meanError = errors.reduce((a, b) => a + b, 0) / errors.length;
      const raw = errors.map((e) => (e / meanError) ** 2);
      const meanRaw = raw.reduce((a, b) => a + b, 0) / raw.length;
      const expected = meanError > 0 ? raw.map((v) => Math.min(4, Math.max(0.25, v / meanRaw))) : errors.map(() => 1);
      const actual = epochs[epoch]!.knobs.robustWeight!;
      expected.forEach((weight, c) => expect(actual[c]).toBeCloseTo(weight, 10));
      expect(epochs[epoch]!.knobs.naturalWeight).toEqual(actual);
    }
    const evaluation = stored.evaluation;
    expect(evaluation.clean.count.reduce((a, b) => a + b, 0)).toBe(24);
    expect(Object.keys(evaluation.attacks)).toEqual(['pgd3', 'worst-case']);
    expect(evaluation.attacks['worst-case']!.average).toBeLessThanOrEqual(evaluation.attacks['pgd3']!.average);
  });

  it('gives bit-identical results for the same config and seed on cpu', async () => {
    const first = await runExperiments(tinyConfig({ name: 'again-1' }), { out, reporter: silentReporter });
    const second = await runExperiments(tinyConfig({ name: 'again-2' }), { out, reporter: silentReporter });
    const strip = (result: ArmResult) => ({ ...(withoutTimings(result) as object), name: null, spec: null });
    expect(first.arms.map(strip)).toEqual(second.arms.map(strip));
    // and the seed matters
    const other = await runExperiments(tinyConfig({ name: 'other', seed: 4 }), { out, reporter: silentReporter });
    expect(other.arms.map(strip)).not.toEqual(first.arms.map(strip));
  });

  it('fails before any training when an arm has a bad plugin option, naming the field and the allowed values', async () => {
    const config = tinyConfig({ name: 'bad' });
    const bad = { ...config, compare: { field: 'fairness', arms: [{ value: { id: 'identity' } }, { value: { id: 'frl' } }] } };
    await expect(runExperiments(bad, { out, reporter: silentReporter })).rejects.toThrow(
      /fairness\.id: unknown fairness-strategy 'frl'; allowed: 'identity', 'class-reweight'/,
    );
    const badOption = {
      ...config,
      compare: { field: 'trainingAttack', arms: [{ value: { id: 'pgd' } }, { label: 'x', value: { id: 'pgd', options: { init: 'zeros' } } }] },
    };
    await expect(runExperiments(badOption, { out, reporter: silentReporter })).rejects.toThrow(
      /trainingAttack\.options\.init: .*"none".*"uniform".*"gaussian"/,
    );
    await expect(readFile(path.join(out, 'bad', 'comparison.json'))).rejects.toThrow();
  });
});

describe(parseExperimentSpec, () => {
  it('names an unknown top-level field', () => {
    const raw = { ...tinyConfig().raw, epochz: 3 };
    expect(() => parseExperimentSpec(raw)).toThrow(InvalidOptionsError);
    expect(() => parseExperimentSpec(raw)).toThrow(/unknown field\(s\) 'epochz'/);
  });
  it('names a bad enum value with the allowed values', () => {
    const raw = { ...tinyConfig().raw, backend: 'gpu' };
    expect(() => parseExperimentSpec(raw)).toThrow(/backend: .*"auto".*"cpu"/);
  });
  it('rejects an epsilon in pixel integers', () => {
    const raw = { ...tinyConfig().raw, training: { epochs: 1, epsilon: 8 } };
    expect(() => parseExperimentSpec(raw)).toThrow(/training\.epsilon/);
  });
});

describe(teacherWarnings, () => {
  const summary = (average: number) => ({ average, count: [1], correct: [1], classAccuracy: [average], worstClass: { accuracy: average, classIndex: 0 }, nsd: 0 });
  const evaluation = (robust: number) => ({ split: 'test' as const, epsilon: 0.03, clean: summary(0.9), attacks: { pgd20: summary(robust) }, flags: [] });
  const arm = (label: string, robust: number, teacherRobust?: number) =>
    ({ label, evaluation: { ...evaluation(robust), seconds: 0 }, ...(teacherRobust === undefined ? {} : { teacher: { key: 'abcdef123', directory: '', evaluation: evaluation(teacherRobust) } }) }) as unknown as ArmResult;

  it('warns when the teacher is not more robust than the best arm without one', () => {
    expect(teacherWarnings([arm('sat', 0.5), arm('rslad', 0.4, 0.45)])).toHaveLength(1);
    expect(teacherWarnings([arm('sat', 0.5), arm('rslad', 0.4, 0.6)])).toEqual([]);
  });
});
