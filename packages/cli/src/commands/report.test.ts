import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseExperimentSpec, runExperiments, silentReporter } from '@robustfair/runner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerReportCommand } from './report.js';
import { runRegisteredCommand } from './run-registered-command.js';

const raw = {
  name: 'tiny',
  backend: 'cpu',
  dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 6, trainPerClass: 6, validationPerClass: 0, testPerClass: 4 } },
  model: { id: 'small-cnn', options: { width: 2 } },
  trainingAttack: { id: 'pgd', options: { steps: 1 } },
  training: { epochs: 1, batchSize: 9 },
  evaluation: { batchSize: 12, attacks: [{ name: 'pgd1', attack: { id: 'pgd', options: { steps: 1 } } }] },
};

let out: string;
beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'robustfair-cli-report-'));
  const compare = { field: 'fairness', arms: [{ value: { id: 'identity' } }, { value: { id: 'class-reweight' } }] };
  await runExperiments({ file: path.join(out, 'tiny.json'), raw, spec: parseExperimentSpec(raw), compare }, { out, reporter: silentReporter });
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

const report = (...args: string[]) => runRegisteredCommand(registerReportCommand, 'report', args);

describe('robustfair report', () => {
  it('writes into <first input>/report by default; --no-png writes SVGs only', async () => {
    const comparison = path.join(out, 'tiny');
    const output = await report(comparison, '--no-png');
    const directory = path.join(comparison, 'report');
    expect(output).toContain('report on 2 arms in 2 methods:');
    expect(output).toContain(path.join(directory, 'report.html'));
    expect(existsSync(path.join(directory, 'report.html'))).toBe(true);
    const plots = await readdir(path.join(directory, 'plots'));
    expect(plots.length).toBeGreaterThan(0);
    expect(plots.every((file) => file.endsWith('.svg'))).toBe(true);
    expect(await readFile(path.join(directory, 'report.md'), 'utf8')).toMatch(/\| class-reweight \| 1 \(0\) \| \d+\.\d \|/);
  });

  it('takes --out and several inputs, and PNGs by default', async () => {
    const target = path.join(out, 'elsewhere');
    await report(path.join(out, 'tiny', 'identity'), path.join(out, 'tiny', 'class-reweight'), '--out', target);
    const plots = await readdir(path.join(target, 'plots'));
    expect(plots.filter((file) => file.endsWith('.png')).length).toBe(plots.filter((file) => file.endsWith('.svg')).length);
  });

  it('names a directory that holds no results', async () => {
    await expect(report(path.join(out, 'nothing-here'))).rejects.toThrow(/nothing-here: is not a readable directory/);
  });
});
