import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { epochLogLineSchema, epochRecordFileSchema } from './epoch-files.js';
import { classSummaryFileSchema, evaluationFileSchema } from './evaluation-files.js';
import type { ResultFileInput } from './result-values.js';
import { armManifestFileSchema, armResultFileSchema, comparisonFileSchema } from './run-files.js';

const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Every results file committed to the repository (examples/, studies/, ...), by the schema that reads it. */
function committedResultFiles(): { file: string; schema: z.ZodType; lines: boolean }[] {
  const files = execFileSync('git', ['ls-files'], { cwd: repository, encoding: 'utf8' }).split('\n');
  const schemaOf = (file: string) => {
    const name = path.basename(file);
    if (name === 'result.json') return { schema: armResultFileSchema, lines: false };
    if (name === 'comparison.json') return { schema: comparisonFileSchema, lines: false };
    if (name === 'epochs.jsonl') return { schema: epochLogLineSchema, lines: true };
    if (name === 'evaluation.json') return { schema: evaluationFileSchema, lines: false };
    // spec.json of an arm directory (next to its checkpoints or result), not a config
    if (name === 'spec.json' && files.some((other) => other.startsWith(`${path.dirname(file)}/`) && /(checkpoint\.json|result\.json|epochs\.jsonl)$/.test(other))) {
      return { schema: armManifestFileSchema, lines: false };
    }
    return undefined;
  };
  return files.flatMap((file) => {
    const found = schemaOf(file);
    return found ? [{ file, ...found }] : [];
  });
}

/** A ClassSummary as the runner writes it, NaN included (JSON.stringify writes it as null). */
const summary = (classAccuracy: number[], nsd = 0.5): ResultFileInput<typeof classSummaryFileSchema> => ({
  count: classAccuracy.map(() => 4),
  correct: classAccuracy.map((accuracy) => accuracy * 4),
  classAccuracy,
  average: classAccuracy.reduce((total, value) => total + value, 0) / classAccuracy.length,
  worstClass: { accuracy: Math.min(...classAccuracy), classIndex: classAccuracy.indexOf(Math.min(...classAccuracy)) },
  nsd,
});

const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('the results files committed to the repository', () => {
  const committed = committedResultFiles();

  it("include the study teacher's training record (so this test reads something)", () => {
    const teacher = 'studies/cifar10-cpu/teacher-training';
    expect(committed.map((entry) => entry.file)).toEqual(
      expect.arrayContaining([`${teacher}/epochs.jsonl`, `${teacher}/spec.json`, `${teacher}/result.json`, `${teacher}/evaluation.json`]),
    );
  });

  it.each(committed.map((entry) => [entry.file, entry] as const))('%s reads with today’s schema', (_, { file, schema, lines }) => {
    const text = readFileSync(path.join(repository, file), 'utf8');
    const values = lines ? text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as unknown) : [JSON.parse(text) as unknown];
    for (const value of values) {
      const parsed = schema.safeParse(value);
      expect(parsed.error?.issues ?? []).toEqual([]);
    }
  });

  it('keeps the numbers of the committed epoch log as written', () => {
    const text = readFileSync(path.join(repository, 'studies/cifar10-cpu/teacher-training/epochs.jsonl'), 'utf8');
    const lines = text.trim().split('\n');
    lines.forEach((line, index) => {
      const raw = JSON.parse(line) as { statistics: { count: number[]; sums: Record<string, number[]> } };
      const parsed = epochLogLineSchema.parse(raw);
      expect(parsed.epoch).toBe(index);
      expect(parsed.statistics.count).toEqual(raw.statistics.count);
      expect(parsed.statistics.sums['robust-error']).toEqual(raw.statistics.sums['robust-error']);
    });
  });
});

describe('the results format', () => {
  const evaluation = { split: 'test' as const, epsilon: 8 / 255, clean: summary([1, 0.5]), attacks: { 'worst-case': summary([0, 0], Number.NaN) }, flags: [], seconds: 2 };
  const result: ResultFileInput<typeof armResultFileSchema> = {
    schemaVersion: 1,
    name: 'grid',
    label: 'identity-seed1',
    seed: 1,
    spec: { name: 'grid', seed: 1, fairness: { id: 'identity' } },
    resolvedOptions: { fairness: { id: 'identity', options: {} } },
    versions: { '@robustfair/spec': '0.1.0' },
    backend: { active: 'cpu', skipped: {} },
    training: {
      epochs: [{ epoch: 0, learningRate: 0.1, knobs: { robustWeight: [1, 2] }, statistics: { epoch: 0, split: 'train', count: [4, 4], sums: { 'robust-loss': [Number.NaN, 1] } }, strategyState: null, meanLoss: Number.NaN, seconds: 1 }],
      strategyState: null,
      seconds: 3,
    },
    evaluation,
  };

  it('reads back what the runner writes, an undefined number (written as null) as NaN', () => {
    const read = armResultFileSchema.parse(throughJson(result));
    expect(read.evaluation.attacks['worst-case']?.nsd).toBeNaN();
    expect(read.evaluation.clean.average).toBe(0.75);
    expect(read.training.epochs[0]?.statistics.sums['robust-loss']).toEqual([Number.NaN, 1]);
    expect(read.training.epochs[0]?.meanLoss).toBeNaN();
    expect(read.training.epochs[0]?.knobs.robustWeight).toEqual([1, 2]);
  });

  it('reads a result.json of an older version: no flags, no training epochs (defaults: none)', () => {
    const { flags: _flags, ...withoutFlags } = evaluation;
    const older = { ...result, evaluation: withoutFlags, training: { strategyState: null, seconds: 3 } };
    const read = armResultFileSchema.parse(throughJson(older));
    expect(read.evaluation.flags).toEqual([]);
    expect(read.training.epochs).toEqual([]);
  });

  it('reads a comparison without warnings or teachers, and its arms as result.json', () => {
    const read = comparisonFileSchema.parse(throughJson({ schemaVersion: 1, name: 'grid', field: 'fairness', directory: '/runs/grid', arms: [result] }));
    expect(read.warnings).toEqual([]);
    expect(read.teachers).toEqual([]);
    expect(read.arms[0]?.label).toBe('identity-seed1');
  });

  it('names the field that does not fit', () => {
    const damaged = { ...result, evaluation: { ...evaluation, clean: { ...summary([1, 0.5]), classAccuracy: ['high', 0.5] } } };
    const parsed = armResultFileSchema.safeParse(throughJson(damaged));
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['evaluation.clean.classAccuracy.0']);
    expect(epochRecordFileSchema.safeParse({ epoch: -1, statistics: { count: [1] } }).error?.issues[0]?.path).toEqual(['epoch']);
  });

  it('drops fields it does not know when reading (a newer version may add some)', () => {
    const read = armResultFileSchema.parse({ ...(throughJson(result) as object), addedLater: { x: 1 } });
    expect('addedLater' in read).toBe(false);
  });
});
