import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { silentReporter } from '../progress/progress-reporter.js';
import { runExperiments } from '../run-experiments.js';
import { ablate } from './ablate.js';
import { expandAblation } from './expand-ablation.js';
import { parseExperimentSpec } from './load-config.js';
import { pathSegmentProblem } from './path-segment.js';

const base = { dataset: { id: 'synthetic' }, model: { id: 'small-cnn' }, training: { epochs: 1 } };

/** Whether `label` names a directory strictly inside `root` (what every arm label must do). */
const staysInside = (label: string) => {
  const root = path.resolve('/runs/experiment');
  const relative = path.relative(root, path.resolve(root, label));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) && !relative.includes(path.sep) && !label.startsWith('.');
};

describe(pathSegmentProblem, () => {
  it.each(['quickstart', 'class-reweight-seed0', 'v1.2', '_private', 'a'.repeat(100)])('accepts %s', (name) => {
    expect(pathSegmentProblem(name)).toBeUndefined();
  });
  it.each(['.', '..', '.hidden', '', 'a/b', 'a\\b', 'a'.repeat(101), 'späce'])('refuses %j', (name) => {
    expect(pathSegmentProblem(name)).toBeDefined();
  });
});

describe('names and labels that become paths', () => {
  it("refuses a config name or an arm label of '..' (the schema)", () => {
    expect(() => parseExperimentSpec({ ...base, name: '..' })).toThrow(/name: a directory name/);
    expect(() => parseExperimentSpec({ ...base, name: '.git' })).toThrow(/name: a directory name/);
  });

  it('makes generated labels safe: values such as "..", "." and "../up" never name a folder outside the run', () => {
    const values = ['..', '.', '../up', '.hidden', 'a/b'];
    const arms = ablate(base, { field: 'dataset.options.tag', arms: values.map((value) => ({ value })) });
    expect(arms.map((arm) => arm.label).every(staysInside)).toBe(true);
    expect(new Set(arms.map((arm) => arm.label)).size).toBe(values.length);
    const fromIds = ablate(base, { field: 'dataset.options.tag', arms: [{ value: { id: '..' } }, { value: { id: '../../x' } }] });
    expect(fromIds.map((arm) => arm.label).every(staysInside)).toBe(true);
    const expanded = expandAblation([{ field: 'dataset.options.tag', values }]);
    expect(expanded.arms.map((arm) => arm.label ?? '').every(staysInside)).toBe(true);
  });

  it('refuses an unsafe label given in code (no config schema on the way), naming the arm', () => {
    expect(() => ablate(base, { field: 'seed', arms: [{ label: '..', value: 1 }, { label: 'b', value: 2 }] })).toThrow(/arms\.0\.label: '\.\.' must not start with "\."/);
    expect(() => ablate(base, { field: 'seed', arms: [{ label: 'x'.repeat(101), value: 1 }, { label: 'b', value: 2 }] })).toThrow(/at most 100 characters/);
  });

  it('runExperiments refuses a spec built in code whose name would leave --out, before writing anything', async () => {
    const out = path.join(os.tmpdir(), `robustfair-names-${process.pid}-${Date.now()}`);
    const spec = { ...parseExperimentSpec(base), name: '..' };
    await expect(runExperiments({ file: path.join(out, 'x.json'), raw: base, spec }, { out, reporter: silentReporter })).rejects.toThrow(/name: '\.\.' must not start/);
    expect(existsSync(out)).toBe(false);
  });
});
