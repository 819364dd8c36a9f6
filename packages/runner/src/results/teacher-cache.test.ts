import { readFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseExperimentSpec, type LoadedConfig } from '../config/load-config.js';
import { silentReporter, type ProgressReporter } from '../progress/progress-reporter.js';
import { runExperiments } from '../run-experiments.js';
import { defaultTeacherCacheDirectory } from './teacher-cache.js';

// Issue 14, section 2: a trained teacher is shared across results directories through a
// content-addressed cache (`<cache>/<teacher spec hash>/`), instead of being retrained per run.
const directories: string[] = [];
const temporary = async (prefix: string) => {
  const directory = await mkdtemp(path.join(os.tmpdir(), prefix));
  directories.push(directory);
  return directory;
};
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

describe('teacher cache', () => {
  it('trains a teacher once and reuses it (weights and result) from another results directory', async () => {
    const raw: Record<string, unknown> = {
      name: 'cached',
      seed: 2,
      backend: 'cpu',
      dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 6, trainPerClass: 6, validationPerClass: 0, testPerClass: 3 } },
      model: { id: 'small-cnn', options: { width: 2 } },
      distiller: { id: 'rslad' },
      teacher: { model: { id: 'small-cnn', options: { width: 2 } }, trainingAttack: { id: 'pgd', options: { steps: 1 } }, training: { epochs: 1, batchSize: 9 } },
      trainingAttack: { id: 'pgd', options: { steps: 1 } },
      training: { epochs: 1, batchSize: 9 },
      evaluation: { batchSize: 9, attacks: [{ name: 'pgd1', attack: { id: 'pgd', options: { steps: 1 } } }] },
    };
    const config: LoadedConfig = { file: path.join(os.tmpdir(), 'cached.json'), raw, spec: parseExperimentSpec(raw) };
    const cache = await temporary('robustfair-teacher-cache-');
    const lines: string[] = [];
    const reporter: ProgressReporter = { ...silentReporter, info: (line: string) => lines.push(line) };

    const first = await runExperiments(config, { out: await temporary('robustfair-out-'), reporter, teacherCache: cache });
    const key = first.teachers[0]!.key;
    expect(await readdir(path.join(cache, key))).toEqual(expect.arrayContaining(['result.json', 'weights.json', 'weights.bin']));
    expect(lines.some((line) => line.includes('reusing the teacher'))).toBe(false);

    lines.length = 0;
    const second = await runExperiments(config, { out: await temporary('robustfair-out-'), reporter, teacherCache: cache });
    expect(lines.some((line) => line.includes(`reusing the teacher trained earlier with the same spec (teacher cache ${path.join(cache, key)})`))).toBe(true);
    expect(second.teachers[0]!.evaluation).toEqual(first.teachers[0]!.evaluation);
    // Same teacher weights, so the same student.
    expect({ clean: second.arms[0]!.evaluation.clean, attacks: second.arms[0]!.evaluation.attacks }).toEqual({ clean: first.arms[0]!.evaluation.clean, attacks: first.arms[0]!.evaluation.attacks });
    const weights = async (directory: string) => readFile(path.join(directory, 'weights.bin'));
    expect(await weights(second.teachers[0]!.directory)).toEqual(await weights(first.teachers[0]!.directory));
  }, 120_000);

  it('lives under $ROBUSTFAIR_TEACHER_CACHE, else $XDG_CACHE_HOME or ~/.cache; off turns it off', () => {
    expect(defaultTeacherCacheDirectory({ ROBUSTFAIR_TEACHER_CACHE: '/data/teachers' })).toBe(path.resolve('/data/teachers'));
    expect(defaultTeacherCacheDirectory({ ROBUSTFAIR_TEACHER_CACHE: 'off' })).toBeUndefined();
    expect(defaultTeacherCacheDirectory({ XDG_CACHE_HOME: '/xdg' })).toBe(path.join('/xdg', 'robustfair', 'teachers'));
    expect(defaultTeacherCacheDirectory({})).toBe(path.join(os.homedir(), '.cache', 'robustfair', 'teachers'));
  });
});
