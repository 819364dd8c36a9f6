import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExperimentSpec, type LoadedConfig } from './config/load-config.js';
import { silentReporter } from './progress/progress-reporter.js';
import { runExperiments } from './run-experiments.js';

// Issue 6: distillation arms get a teacher trained once from the config, shared by every arm
// that names the same teacher, and its robustness is recorded next to the students'.
describe('distillation arms', () => {
  it('trains the teacher once, shares it, and runs RSLAD with and without ABSLD temperatures', async () => {
    const raw: Record<string, unknown> = {
      name: 'distil',
      seed: 1,
      dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 8, trainPerClass: 12, validationPerClass: 0, testPerClass: 6 } },
      model: { id: 'small-cnn', options: { width: 2 } },
      distiller: { id: 'rslad' },
      teacher: { model: { id: 'small-cnn', options: { width: 4 } }, trainingAttack: { id: 'pgd', options: { steps: 2, init: 'gaussian' } }, training: { epochs: 2, batchSize: 12 } },
      trainingAttack: { id: 'pgd', options: { steps: 2, init: 'gaussian' } },
      training: { epochs: 2, batchSize: 12 },
      evaluation: { batchSize: 18, attacks: [{ preset: 'pgd20', overrides: { steps: 3 } }] },
    };
    const config: LoadedConfig = {
      file: path.join(os.tmpdir(), 'distil.json'),
      raw,
      spec: parseExperimentSpec(raw),
      compare: { field: 'fairness', arms: [{ value: { id: 'identity' } }, { value: { id: 'absld' } }] },
    };
    const out = await mkdtemp(path.join(os.tmpdir(), 'robustfair-distil-'));
    try {
      const result = await runExperiments(config, { out, reporter: silentReporter });
      expect(result.teachers).toHaveLength(1);
      expect(result.warnings).toEqual([]); // no arm without a teacher here, so nothing to compare with
      expect(await readdir(path.join(out, 'distil', 'teachers'))).toHaveLength(1);
      for (const arm of result.arms) {
        expect(arm.teacher?.key).toBe(result.teachers[0]!.key);
        expect(arm.resolvedOptions['distiller']?.id).toBe('rslad');
      }
      const absld = result.arms.find((arm) => arm.label === 'absld')!;
      const epochs = absld.training.epochs;
      expect(epochs[0]!.knobs.temperature?.adversarial).toEqual([1, 1, 1]);
      expect(epochs[1]!.knobs.temperature?.adversarial).not.toEqual([1, 1, 1]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 300_000);

  it('requires a teacher with a distiller, naming the field', () => {
    expect(() =>
      parseExperimentSpec({ dataset: { id: 'synthetic' }, model: { id: 'small-cnn' }, distiller: { id: 'rslad' }, training: { epochs: 1 } }),
    ).toThrow(/teacher: required when a distiller \('rslad'\) is set/);
  });
});
