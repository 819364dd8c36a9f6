import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EpochRecord } from '@robustfair/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparisonSchema } from './config/experiment-spec.js';
import { loadConfig, parseExperimentSpec, type LoadedConfig } from './config/load-config.js';
import { silentReporter } from './progress/progress-reporter.js';
import { runExperiments } from './run-experiments.js';

// Issue 14: the paper configs are validated elsewhere but were never run, so an arm that crashes
// after its first epoch (WAT's TRADES cost) went unnoticed. Here EVERY arm of both configs, with
// its own objective, attack, strategy options, validation pass, selection and weight averaging,
// trains one batch of one epoch on a tiny synthetic dataset (teachers too, at tiny size) and is
// evaluated. Only the sizes are overridden: data, model widths, epochs, batch and attack steps.

const methods = fileURLToPath(new URL('../../../examples/methods/', import.meta.url));
let out: string;
beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'robustfair-paper-configs-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

type Raw = Record<string, unknown>;
const numClasses = 3;
const trainPerClass = 4;
const batchSize = numClasses * trainPerClass; // one batch per epoch
const tinyModel = { id: 'small-cnn', options: { width: 2 } };
const oneStep = (attack: unknown) => (typeof attack === 'object' && attack !== null && 'preset' in attack ? { ...(attack as Raw), overrides: { ...((attack as Raw)['overrides'] as Raw), steps: 1 } } : attack);

/** The arm's own settings, at tiny size: data overrides are dropped (the synthetic set has its own split). */
function shrinkArm(set: Raw): Raw {
  const next: Raw = {};
  for (const [field, value] of Object.entries(set)) {
    if (field.startsWith('dataset')) continue;
    if (field === 'teacher') {
      const teacher = value as Raw;
      next[field] = { ...teacher, model: tinyModel, training: { ...(teacher['training'] as Raw), epochs: 1, batchSize, logEvery: 0 } };
    } else if (field === 'weightAveraging') {
      const averaging = value as Raw;
      next[field] = { ...averaging, attack: oneStep(averaging['attack']) };
    } else {
      next[field] = value;
    }
  }
  return next;
}

function shrinkBase(raw: Raw): Raw {
  const selection = raw['selection'] as Raw | undefined;
  return {
    ...raw,
    dataset: { id: 'synthetic', options: { numClasses, imageSize: 4, trainPerClass, validationPerClass: 2, testPerClass: 2 } },
    model: tinyModel,
    training: { ...(raw['training'] as Raw), epochs: 1, batchSize, logEvery: 0 },
    ...(selection ? { selection: { ...selection, fromEpoch: 0, attack: oneStep(selection['attack']) } } : {}),
    evaluation: { batchSize: 6, attacks: [{ preset: 'pgd20', overrides: { steps: 1 } }], bootstrapResamples: 10 },
  };
}

describe.each(['paper-cifar10', 'paper-cifar100'])('examples/methods/%s.config.json', (name) => {
  it('runs every arm (teachers too) for one batch of one epoch on tiny data', async () => {
    const loaded = await loadConfig(path.join(methods, `${name}.config.json`));
    const compare = comparisonSchema.parse({
      arms: loaded.compare!.arms.map((arm) => ({ ...arm, set: shrinkArm(arm.set as Raw) })),
    });
    const raw = shrinkBase(loaded.raw);
    const config: LoadedConfig = { ...loaded, raw, spec: parseExperimentSpec(raw), compare };
    const result = await runExperiments(config, { out: path.join(out, name), reporter: silentReporter, print: () => undefined, backend: 'wasm' });
    expect(result.arms.map((arm) => arm.label)).toEqual(loaded.compare!.arms.map((arm) => arm.label));
    const epochsOf = (label: string) => (result.arms.find((entry) => entry.label === label)?.training.epochs ?? []) as EpochRecord[];
    for (const arm of result.arms) {
      expect(epochsOf(arm.label), arm.label).toHaveLength(1);
      expect(Number.isFinite(epochsOf(arm.label)[0]?.meanLoss), `${arm.label}: finite loss`).toBe(true);
    }
    // The validation-split strategies updated from the validation pass.
    for (const label of ['frl-reweight', 'frl-remargin', 'frl-reweight-remargin', 'wat']) {
      expect(epochsOf(label)[0]?.strategyStatistics?.split, label).toBe('validation');
    }
    // FRL: one update before training, and the missing hot start recorded as a deviation.
    for (const label of ['frl-reweight', 'frl-remargin', 'frl-reweight-remargin']) {
      const arm = result.arms.find((entry) => entry.label === label);
      expect(arm?.training.initialUpdate, label).toBeDefined();
      expect(arm?.deviations?.join('\n'), label).toMatch(/hot start/);
      expect(arm?.deviations?.join('\n'), label).not.toMatch(/max_i/);
    }
    expect(result.arms.find((entry) => entry.label === 'sat')?.deviations).toBeUndefined();
  }, 300_000);
});
