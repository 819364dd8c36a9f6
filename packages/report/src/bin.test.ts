import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The robustfair-report bin as npx runs it (the committed shim, then dist/): skipped before a build.
const bin = fileURLToPath(new URL('../bin/robustfair-report.js', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../dist/bin.js', import.meta.url)));

/** A one-class-pair arm as the runner writes it: 2 classes, clean 3/4 and 1/4 correct, worst case 2/4 and 0/4. */
function result(label: string) {
  const row = (correct: number[]) => ({
    count: [4, 4],
    correct,
    classAccuracy: correct.map((value) => value / 4),
    average: (correct[0]! + correct[1]!) / 8,
    worstClass: { accuracy: Math.min(...correct) / 4, classIndex: correct.indexOf(Math.min(...correct)) },
    nsd: null,
  });
  return {
    schemaVersion: 1,
    name: 'tiny',
    label,
    seed: 0,
    spec: { name: 'tiny', seed: 0, fairness: { id: label } },
    resolvedOptions: {},
    versions: {},
    backend: { active: 'cpu' },
    training: { epochs: [], strategyState: null, seconds: 1 },
    evaluation: { split: 'test', epsilon: 8 / 255, clean: row([3, 1]), attacks: { 'worst-case': row([2, 0]) }, flags: [], seconds: 1 },
  };
}

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-report-bin-'));
  await mkdir(path.join(directory, 'identity'));
  await writeFile(path.join(directory, 'identity', 'result.json'), JSON.stringify(result('identity')));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe.skipIf(!built)('robustfair-report (the bin)', () => {
  it('writes the report of an arm directory to --out and prints where', async () => {
    const out = path.join(directory, 'out');
    const run = spawnSync(process.execPath, [bin, path.join(directory, 'identity'), '--out', out, '--no-png'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').slice(0, 3)).toEqual(['report on 1 arm in 1 method:', `  ${path.join(out, 'report.html')}`, `  ${path.join(out, 'report.md')}`]);
    expect((await readdir(path.join(out, 'plots'))).every((file) => file.endsWith('.svg'))).toBe(true);
    // clean: Avg. 4/8 = 50.0 %, Worst 1/4 = 25.0 %; worst case: 2/8 = 25.0 %, Worst 0.0 %; NSD undefined
    expect(await readFile(path.join(out, 'report.md'), 'utf8')).toContain('| identity | 1 (0) | 50.0 | 25.0 | 25.0 | 0.0 | n/a |');
  });

  it('exits with 2 and names the directory when it holds no results', () => {
    const run = spawnSync(process.execPath, [bin, path.join(directory, 'missing')], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`robustfair-report: invalid report input`);
    expect(run.stderr).toContain(path.join(directory, 'missing'));
  });
});
