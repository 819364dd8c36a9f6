import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSmallCnn } from '@robustfair/models';
import { describe, expect, it } from 'vitest';
import { parseExperimentSpec, type LoadedConfig } from '../config/load-config.js';
import { silentReporter, type ProgressEvent } from '../progress/progress-reporter.js';
import { runExperiments } from '../run-experiments.js';
import { captureModelWeights as captureWeights, restoreModelWeights as restoreWeights } from '@robustfair/core';
import { blendInto } from './weight-averaging.js';

describe('weight snapshots', () => {
  it('blends by hand: decay·average + (1 − decay)·current', () => {
    const average = [Float32Array.from([1, 2]), Float32Array.from([10])];
    blendInto(average, [Float32Array.from([3, 6]), Float32Array.from([0])], 0.75);
    expect(Array.from(average[0]!)).toEqual([1.5, 3]);
    expect(Array.from(average[1]!)).toEqual([7.5]);
  });

  it('restores a captured state exactly, batch-norm statistics included', async () => {
    const model = createSmallCnn({ numClasses: 3, inputShape: [6, 6, 3], width: 2, seed: 1 });
    const saved = await captureWeights(model);
    const other = createSmallCnn({ numClasses: 3, inputShape: [6, 6, 3], width: 2, seed: 2 });
    restoreWeights(other, saved);
    expect(await captureWeights(other)).toEqual(saved);
    model.dispose();
    other.dispose();
  });
});

const base = (extra: Record<string, unknown>): LoadedConfig => {
  const raw = {
    name: 'monitor',
    seed: 4,
    dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 8, trainPerClass: 12, validationPerClass: 6, testPerClass: 6 } },
    model: { id: 'small-cnn', options: { width: 2 } },
    trainingAttack: { id: 'pgd', options: { steps: 2 } },
    training: { epochs: 4, batchSize: 12 },
    evaluation: { batchSize: 18, attacks: [{ preset: 'pgd20', overrides: { steps: 2 } }] },
    ...extra,
  };
  return { file: path.join(os.tmpdir(), 'monitor.json'), raw, spec: parseExperimentSpec(raw) };
};

type Monitor = {
  selection: { scores: { epoch: number; average: number; worstClass: number; score: number }[]; chosenEpoch: number | null; usesTestSet: boolean };
  weightAveraging: { updates: number[] };
};

describe('checkpoint selection and weight averaging', () => {
  it('scores every epoch on the validation split and keeps the arg-max of average + worst class', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'robustfair-monitor-'));
    try {
      const config = base({ selection: { rule: 'average-plus-worst', attack: { preset: 'pgd20', overrides: { steps: 2 } } } });
      const events: ProgressEvent[] = [];
      const reporter = { info: () => undefined, progress: (event: ProgressEvent) => events.push(event) };
      const [arm] = (await runExperiments(config, { out, reporter })).arms;
      // every per-epoch evaluation reports its batches (18 validation images, batch 18: one batch each)
      const during = events.filter((event) => event.scope === 'evaluation' && event.during !== undefined);
      expect(during.map((event) => (event.scope === 'evaluation' ? [event.during?.epoch, event.during?.purpose, event.split, event.batch, event.batches] : []))).toEqual(
        [0, 1, 2, 3].map((epoch) => [epoch, 'selection', 'validation', 1, 1]),
      );
      const monitor = arm!.training.monitor as Monitor;
      expect(monitor.selection.scores.map((entry) => entry.epoch)).toEqual([0, 1, 2, 3]);
      for (const entry of monitor.selection.scores) expect(entry.score).toBeCloseTo(entry.average + entry.worstClass, 12);
      const best = monitor.selection.scores.reduce((a, b) => (b.score > a.score ? b : a));
      expect(monitor.selection.chosenEpoch).toBe(best.epoch);
      expect(monitor.selection.usesTestSet).toBe(false);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);

  it('FAWA averages only on epochs whose worst validation class reaches the threshold; EMA on every epoch', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'robustfair-monitor-'));
    try {
      const monitorOf = async (config: LoadedConfig) =>
        (await runExperiments(config, { out, reporter: silentReporter })).arms[0]!.training.monitor as Monitor & {
          weightAveraging: { worstClass: { epoch: number; accuracy: number }[] };
        };
      const attack = { preset: 'pgd20', overrides: { steps: 2 } };
      const fawa = await monitorOf(base({ name: 'fawa', weightAveraging: { kind: 'fawa', threshold: 0.3, attack } }));
      const qualifying = fawa.weightAveraging.worstClass.filter((entry) => entry.accuracy >= 0.3).map((entry) => entry.epoch);
      expect(fawa.weightAveraging.worstClass.map((entry) => entry.epoch)).toEqual([0, 1, 2, 3]);
      expect(fawa.weightAveraging.updates).toEqual(qualifying);
      const always = await monitorOf(base({ name: 'always', weightAveraging: { kind: 'fawa', threshold: 0, attack } }));
      expect(always.weightAveraging.updates).toEqual([0, 1, 2, 3]);
      const ema = await monitorOf(base({ name: 'ema', weightAveraging: { kind: 'ema' } }));
      expect(ema.weightAveraging.updates).toEqual([0, 1, 2, 3]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('progress of evaluations inside training', () => {
  it("reports FRL's per-epoch validation pass batch by batch", async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'robustfair-monitor-'));
    try {
      const config = base({ name: 'frl-progress', fairness: { id: 'frl-reweight' }, training: { epochs: 2, batchSize: 12 }, evaluation: { batchSize: 9, attacks: [{ preset: 'pgd20', overrides: { steps: 1 } }] } });
      const events: ProgressEvent[] = [];
      await runExperiments(config, { out, reporter: { info: () => undefined, progress: (event: ProgressEvent) => events.push(event) } });
      const during = events.flatMap((event) => (event.scope === 'evaluation' && event.during ? [[event.during.epoch, event.during.purpose, event.split, event.batch, event.batches]] : []));
      // 18 validation images in batches of 9: two batches before training (epoch −1, FRL's
      // update on the initial model) and after each epoch
      expect(during).toEqual([-1, 0, 1].flatMap((epoch) => [[epoch, 'validation', 'validation', 1, 2], [epoch, 'validation', 'validation', 2, 2]]));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);
});
