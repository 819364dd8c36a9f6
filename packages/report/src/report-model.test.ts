import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InvalidOptionsError } from '@robustfair/spec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRunDirectories } from './read-run-directories.js';
import { formatReportHtml } from './report-html.js';
import { formatReportMarkdown } from './report-markdown.js';
import { buildReportModel } from './report-model.js';
import { methodTable, reportTables } from './report-tables.js';

// Hand-written result directories in the shapes run-experiments.ts writes. The expected numbers
// in the assertions are worked out by hand from the class accuracies below (3 balanced classes).

type Rows = Record<string, number[]>;

/** A ClassSummary as result.json stores it: average of balanced classes, worst class, population NSD. */
function summary(classAccuracy: number[]) {
  const average = classAccuracy.reduce((a, b) => a + b, 0) / classAccuracy.length;
  const worst = Math.min(...classAccuracy);
  const std = Math.sqrt(classAccuracy.reduce((total, value) => total + (value - average) ** 2, 0) / classAccuracy.length);
  return {
    count: classAccuracy.map(() => 10),
    correct: classAccuracy.map((accuracy) => Math.round(accuracy * 10)),
    classAccuracy,
    average,
    worstClass: { accuracy: worst, classIndex: classAccuracy.indexOf(worst) },
    nsd: average === 0 ? null : std / average,
  };
}

interface FixtureArm {
  readonly label: string;
  readonly seed: number;
  readonly fairness: string;
  readonly rows: Rows;
  readonly experiment?: string;
  readonly epochs?: number;
  /** Raw epochs.jsonl text; absent: no file. */
  readonly epochLog?: string;
  /** result.json's training.epochs. */
  readonly recordedEpochs?: unknown[];
  readonly classNames?: string[];
  /** The spec's `evaluation.attacks`; absent: no evaluation block in the spec. */
  readonly evaluationAttacks?: unknown[];
}

async function writeArm(directory: string, arm: FixtureArm): Promise<void> {
  await mkdir(directory, { recursive: true });
  const experiment = arm.experiment ?? 'abl';
  const { clean, ...attacks } = arm.rows;
  const result = {
    schemaVersion: 1,
    name: experiment,
    label: arm.label,
    seed: arm.seed,
    spec: {
      name: experiment,
      seed: arm.seed,
      fairness: { id: arm.fairness },
      training: { epochs: arm.epochs ?? 2, batchSize: 8 },
      ...(arm.evaluationAttacks ? { evaluation: { epsilon: 8 / 255, attacks: arm.evaluationAttacks } } : {}),
    },
    resolvedOptions: {},
    versions: {},
    backend: { active: 'cpu', skipped: {} },
    training: { epochs: arm.recordedEpochs ?? [], strategyState: null, seconds: 1 },
    evaluation: {
      split: 'test',
      epsilon: 8 / 255,
      clean: summary(clean ?? []),
      attacks: Object.fromEntries(Object.entries(attacks).map(([id, accuracy]) => [id, summary(accuracy)])),
      flags: [],
      seconds: 1,
    },
  };
  await writeFile(path.join(directory, 'result.json'), JSON.stringify(result));
  if (arm.epochLog !== undefined) await writeFile(path.join(directory, 'epochs.jsonl'), arm.epochLog);
  if (arm.classNames) await writeFile(path.join(directory, 'evaluation.json'), JSON.stringify({ schemaVersion: 1, classNames: arm.classNames, rows: [] }));
}

async function writeComparison(directory: string, name: string, arms: readonly FixtureArm[], warnings: string[] = []): Promise<void> {
  for (const arm of arms) await writeArm(path.join(directory, arm.label), arm);
  await writeFile(path.join(directory, 'comparison.json'), JSON.stringify({ schemaVersion: 1, name, field: null, directory, arms: arms.map(({ label }) => ({ label })), teachers: [], warnings }));
}

const epochLine = (epoch: number, knobs: object, robustErrors: number[]) =>
  JSON.stringify({ epoch, knobs, learningRate: 0.1, statistics: { epoch, split: 'train', count: [10, 10, 10], sums: { 'robust-error': robustErrors } }, metrics: {}, strategyState: null, seconds: 0.1 });

const temperatures = (natural: number[], adversarial: number[]) => ({ temperature: { natural, adversarial } });

const identitySeed0: FixtureArm = {
  label: 'identity-seed0',
  seed: 0,
  fairness: 'identity',
  rows: { clean: [0.9, 0.8, 0.7], pgd20: [0.6, 0.5, 0.4], 'worst-case': [0.5, 0.4, 0.3] },
  epochLog: `${epochLine(0, {}, [5, 5, 5])}\n${epochLine(1, {}, [4, 3, 2])}\n`,
  classNames: ['cat', 'dog', 'ship'],
};
const identitySeed1: FixtureArm = {
  label: 'identity-seed1',
  seed: 1,
  fairness: 'identity',
  rows: { clean: [0.8, 0.8, 0.5], pgd20: [0.6, 0.4, 0.2], 'worst-case': [0.5, 0.3, 0.1] },
  // No epochs.jsonl: the epochs recorded in result.json are read instead.
  recordedEpochs: [JSON.parse(epochLine(0, {}, [6, 6, 6])) as unknown],
  classNames: ['cat', 'dog', 'ship'],
};
const absldSeed0: FixtureArm = {
  label: 'absld-seed0',
  seed: 0,
  fairness: 'absld',
  rows: { clean: [0.8, 0.7, 0.6], pgd20: [0.5, 0.5, 0.5], 'worst-case': [0.5, 0.4, 0.4] },
  // Epoch 1 logged twice (a resumed run: the last line wins), then a line cut off by a kill.
  epochLog: [
    epochLine(0, temperatures([1, 1, 1], [1, 1, 1]), [5, 6, 9]),
    epochLine(1, temperatures([9, 9, 9], [9, 9, 9]), [0, 0, 0]),
    epochLine(1, temperatures([1.1, 1, 0.9], [1.2, 1, 0.8]), [4, 5, 7]),
    '{"epoch": 2, "kno',
  ].join('\n'),
  classNames: ['cat', 'dog', 'ship'],
};
const absldSeed1: FixtureArm = {
  label: 'absld-seed1',
  seed: 1,
  fairness: 'absld',
  rows: { clean: [0.8, 0.7, 0.7], pgd20: [0.6, 0.5, 0.4], 'worst-case': [0.4, 0.4, 0.4] },
  epochLog: `${epochLine(0, temperatures([1, 1, 1], [1, 1, 1]), [6, 6, 6])}\n`,
  classNames: ['cat', 'dog', 'ship'],
};

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'robustfair-report-model-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe(readRunDirectories, () => {
  it("reads a comparison's arms in its order, with class names and the comparison's warnings", async () => {
    await writeComparison(path.join(root, 'abl'), 'abl', [identitySeed0, identitySeed1, absldSeed0, absldSeed1], ['a teacher warning']);
    const runs = await readRunDirectories([path.join(root, 'abl')]);
    expect(runs.arms.map((arm) => arm.label)).toEqual(['identity-seed0', 'identity-seed1', 'absld-seed0', 'absld-seed1']);
    expect(runs.arms[0]!.classNames).toEqual(['cat', 'dog', 'ship']);
    expect([...runs.arms[0]!.evaluations.keys()]).toEqual(['clean', 'pgd20', 'worst-case']);
    expect(runs.arms[0]!.evaluations.get('worst-case')!.worstClass).toEqual({ accuracy: 0.3, classIndex: 2 });
    expect(runs.notes).toContain('abl: a teacher warning');
  });

  it('reads epochs.jsonl with the last line of an epoch winning and a broken line skipped, else the epochs in result.json', async () => {
    await writeComparison(path.join(root, 'abl'), 'abl', [identitySeed1, absldSeed0]);
    const runs = await readRunDirectories([path.join(root, 'abl')]);
    const [identity, absld] = runs.arms;
    expect(identity!.epochs.map((line) => line.statistics.sums['robust-error'])).toEqual([[6, 6, 6]]);
    expect(absld!.epochs.map((line) => line.epoch)).toEqual([0, 1]);
    expect(absld!.epochs[1]!.knobs).toEqual(temperatures([1.1, 1, 0.9], [1.2, 1, 0.8]));
    expect(runs.notes).toEqual([`${path.join(root, 'abl', 'absld-seed0', 'epochs.jsonl')}: line 4 is not an epoch record; skipped`]);
  });

  it('merges a comparison and an arm directory; an arm given twice is read once', async () => {
    await writeComparison(path.join(root, 'abl'), 'abl', [identitySeed0, identitySeed1]);
    await writeComparison(path.join(root, 'kd'), 'kd', [absldSeed0]);
    const runs = await readRunDirectories([path.join(root, 'abl'), path.join(root, 'kd', 'absld-seed0'), path.join(root, 'abl', 'identity-seed1')]);
    expect(runs.arms.map((arm) => arm.directory)).toEqual([
      path.join(root, 'abl', 'identity-seed0'),
      path.join(root, 'abl', 'identity-seed1'),
      path.join(root, 'kd', 'absld-seed0'),
    ]);
    expect(runs.notes).toContain(`${path.join(root, 'abl', 'identity-seed1')} was given more than once; read once`);
  });

  it('reports the finished arms of a directory without comparison.json, and says so', async () => {
    await writeArm(path.join(root, 'partial', 'identity-seed0'), identitySeed0);
    await mkdir(path.join(root, 'partial', 'identity-seed1')); // started, not finished: no result.json
    const runs = await readRunDirectories([path.join(root, 'partial')]);
    expect(runs.arms.map((arm) => arm.label)).toEqual(['identity-seed0']);
    expect(runs.notes[0]).toMatch(/no comparison\.json .*the 1 finished arm/);
  });

  it('rejects a directory without results, and one that does not exist, naming them', async () => {
    await mkdir(path.join(root, 'empty'));
    await expect(readRunDirectories([path.join(root, 'empty')])).rejects.toThrow(/empty: holds neither comparison\.json .* nor result\.json/);
    await expect(readRunDirectories([path.join(root, 'missing')])).rejects.toThrow(InvalidOptionsError);
  });

  it('rejects a result.json with a missing field, naming the file and the field', async () => {
    await writeArm(path.join(root, 'bad'), identitySeed0);
    await writeFile(path.join(root, 'bad', 'result.json'), JSON.stringify({ name: 'abl', label: 'x', seed: 0, spec: {}, training: {}, evaluation: { split: 'test', epsilon: 0.03, attacks: {} } }));
    await expect(readRunDirectories([path.join(root, 'bad')])).rejects.toThrow(/result\.json[\s\S]*evaluation\.clean/);
  });
});

describe(buildReportModel, () => {
  async function model(...extra: FixtureArm[]) {
    await writeComparison(path.join(root, 'abl'), 'abl', [identitySeed0, identitySeed1, absldSeed0, absldSeed1, ...extra]);
    return buildReportModel(await readRunDirectories([path.join(root, 'abl')]));
  }

  it('groups arms that differ only in the seed into one method', async () => {
    const report = await model();
    expect(report.methods.map((method) => [method.name, method.arms.map((arm) => arm.seed)])).toEqual([
      ['identity', [0, 1]],
      ['absld', [0, 1]],
    ]);
    expect(report.evaluations).toEqual(['clean', 'pgd20', 'worst-case']);
    expect(report.strongest).toBe('worst-case');
    expect(report.classNames).toEqual(['cat', 'dog', 'ship']);
    expect(report.numClasses).toBe(3);
  });

  it('groups seeds that ran different attacks into one method when the attacks they share agree; cells are over the seeds that ran each', async () => {
    const withAa: FixtureArm = {
      ...identitySeed0,
      rows: { ...identitySeed0.rows, aa: [0.3, 0.2, 0.1] },
      evaluationAttacks: ['pgd20', { preset: 'aa', perClass: 5 }],
    };
    const withoutAa: FixtureArm = { ...identitySeed1, evaluationAttacks: ['pgd20'] };
    await writeComparison(path.join(root, 'abl'), 'abl', [withAa, withoutAa]);
    const report = buildReportModel(await readRunDirectories([path.join(root, 'abl')]));
    expect(report.methods.map((method) => [method.name, method.arms.map((arm) => arm.seed)])).toEqual([['identity', [0, 1]]]);
    const [row] = report.table;
    // aa: seed 0 alone, Avg. (0.3 + 0.2 + 0.1) / 3; pgd20 over both seeds: (0.5 + 0.4) / 2
    expect(row!.cells.get('aa')!.average.count).toBe(1);
    expect(row!.cells.get('aa')!.average.mean).toBeCloseTo(0.2, 12);
    expect(row!.cells.get('pgd20')!.average).toMatchObject({ count: 2 });
    expect(row!.cells.get('pgd20')!.average.mean).toBeCloseTo(0.45, 12);
    expect(report.notes).toContain(
      "'aa' ran on some seeds only (seed 0 of every method): its cells are over those seeds (a seed's worst case is over the attacks it ran on every image)",
    );
  });

  it('keeps seeds apart when an attack they share is defined differently', async () => {
    const pgd20 = { ...identitySeed0, evaluationAttacks: ['pgd20'] };
    const pgd20Short = { ...identitySeed1, evaluationAttacks: [{ preset: 'pgd20', overrides: { steps: 2 } }] };
    await writeComparison(path.join(root, 'abl'), 'abl', [pgd20, pgd20Short]);
    const report = buildReportModel(await readRunDirectories([path.join(root, 'abl')]));
    expect(report.methods.map((method) => method.arms.map((arm) => arm.seed))).toEqual([[0], [1]]);
  });

  it('aggregates the seeds as mean and sample standard deviation (n − 1)', async () => {
    const [identity, absld] = (await model()).table;
    // identity, worst case: Avg. 0.4 and 0.3 → 0.35 ± 0.1/√2; Worst 0.3 and 0.1 → 0.2 ± 0.2/√2.
    const worstCase = identity!.cells.get('worst-case')!;
    expect(worstCase.average.mean).toBeCloseTo(0.35, 12);
    expect(worstCase.average.std).toBeCloseTo(0.0707107, 6);
    expect(worstCase.worst.mean).toBeCloseTo(0.2, 12);
    expect(worstCase.worst.std).toBeCloseTo(0.1414214, 6);
    // clean: Avg. 0.8 and 0.7; Worst 0.7 and 0.5.
    expect(identity!.cells.get('clean')!.average.mean).toBeCloseTo(0.75, 12);
    expect(identity!.cells.get('clean')!.worst.mean).toBeCloseTo(0.6, 12);
    // NSD under the worst case: [.5,.4,.3] → 0.08165/0.4 = 0.20412; [.5,.3,.1] → 0.16330/0.3 = 0.54433.
    expect(identity!.nsd.mean).toBeCloseTo(0.3742276, 6);
    expect(identity!.nsd.std).toBeCloseTo(0.2405626, 6);
    // Class-wise worst-case accuracy, mean over seeds.
    identity!.classAccuracy.get('worst-case')!.forEach((value, index) => expect(value).toBeCloseTo([0.5, 0.35, 0.2][index]!, 12));
    // absld: Avg. 0.43333 and 0.4; Worst 0.4 twice; NSD 0.10879 and 0.
    expect(absld!.cells.get('worst-case')!.average.mean).toBeCloseTo(0.4166667, 6);
    expect(absld!.cells.get('worst-case')!.worst).toEqual({ mean: 0.4, std: 0, count: 2 });
    expect(absld!.nsd.mean).toBeCloseTo(0.0543928, 6);
  });

  it('qualifies arm and method names that collide across experiments', async () => {
    await writeComparison(path.join(root, 'abl'), 'abl', [identitySeed0]);
    await writeComparison(path.join(root, 'other'), 'other', [{ ...identitySeed0, experiment: 'other', epochs: 5 }]);
    const report = buildReportModel(await readRunDirectories([path.join(root, 'abl'), path.join(root, 'other')]));
    expect(report.arms.map((arm) => [arm.id, arm.method])).toEqual([
      ['abl/identity-seed0', 'abl/identity'],
      ['other/identity-seed0', 'other/identity'],
    ]);
    expect(report.title).toBe('abl + other');
  });

  it('judges robustness by the weakest common attack when an arm has no worst-case row', async () => {
    const { 'worst-case': _worstCase, ...withoutWorstCase } = identitySeed0.rows;
    await writeComparison(path.join(root, 'abl'), 'abl', [{ ...identitySeed0, rows: { ...withoutWorstCase, fgsm: [0.7, 0.7, 0.7] } }, absldSeed0]);
    const report = buildReportModel(await readRunDirectories([path.join(root, 'abl')]));
    // pgd20 averages 0.5 in both arms; fgsm is missing from absld.
    expect(report.strongest).toBe('pgd20');
    expect(report.evaluations).toEqual(['clean', 'pgd20', 'fgsm', 'worst-case']);
    expect(report.table[0]!.cells.has('worst-case')).toBe(false);
  });

  it('rejects arms with different numbers of classes', async () => {
    await writeComparison(path.join(root, 'abl'), 'abl', [identitySeed0]);
    await writeComparison(path.join(root, 'four'), 'four', [{ ...identitySeed0, experiment: 'four', rows: { clean: [1, 1, 1, 1], 'worst-case': [0, 0, 0, 0] } }]);
    expect(() => buildReportModel({ arms: [], sources: [], notes: [] })).toThrow(InvalidOptionsError);
    await expect(readRunDirectories([path.join(root, 'abl'), path.join(root, 'four')]).then(buildReportModel)).rejects.toThrow(/does not have 3 classes/);
  });
});

describe('report tables and pages', () => {
  it('formats the Table-1 layout in % with mean ± std and the NSD', async () => {
    await writeComparison(path.join(root, 'abl'), 'abl', [identitySeed0, identitySeed1, absldSeed0, absldSeed1]);
    const table = methodTable(buildReportModel(await readRunDirectories([path.join(root, 'abl')])));
    expect(table.header).toEqual(['Method', 'Seeds', 'Avg.', 'Worst', 'Avg.', 'Worst', 'Avg.', 'Worst', 'NSD']);
    expect(table.groups?.map((group) => group.label)).toEqual(['', 'Clean', 'pgd20', 'Worst case', '']);
    expect(table.rows).toEqual([
      ['identity', '2 (0, 1)', '75.0 ± 7.1', '60.0 ± 14.1', '45.0 ± 7.1', '30.0 ± 14.1', '35.0 ± 7.1', '20.0 ± 14.1', '0.374 ± 0.241'],
      ['absld', '2 (0, 1)', '71.7 ± 2.4', '65.0 ± 7.1', '50.0 ± 0.0', '45.0 ± 7.1', '41.7 ± 2.4', '40.0 ± 0.0', '0.054 ± 0.077'],
    ]);
  });

  it('writes a single seed without ±, and Markdown folds the header groups into the column names', async () => {
    await writeComparison(path.join(root, 'abl'), 'abl', [identitySeed0]);
    const model = buildReportModel(await readRunDirectories([path.join(root, 'abl')]));
    const markdown = formatReportMarkdown({ model, tables: reportTables(model), plots: [], skipped: [{ name: 'knobs', reason: 'none' }] });
    expect(markdown).toContain('| Method | Seeds | Clean Avg. | Clean Worst | pgd20 Avg. | pgd20 Worst | Worst case Avg. | Worst case Worst | NSD |');
    expect(markdown).toContain('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    expect(markdown).toContain('| identity | 1 (0) | 80.0 | 70.0 | 50.0 | 40.0 | 40.0 | 30.0 | 0.204 |');
    expect(markdown).toContain('| identity | 50.0 | 40.0 | 30.0 |'); // class-wise, worst case
    expect(markdown).toContain("- plot 'knobs' skipped: none");
  });

  // Issue 13 item 10: Markdown passes raw HTML through, so names from result files are escaped there too.
  it('escapes labels, class names and warnings in report.md (no raw HTML, no injected links)', async () => {
    const hostile = { ...identitySeed0, label: '<script>alert(1)</script>', classNames: ['<img src=x onerror=alert(2)>', 'dog', '[link](javascript:alert(3))'] };
    await writeComparison(path.join(root, 'abl'), 'abl', [hostile], ['<iframe src=//evil>']);
    const model = buildReportModel(await readRunDirectories([path.join(root, 'abl')]));
    const markdown = formatReportMarkdown({ model, tables: reportTables(model), plots: [], skipped: [] });
    expect(markdown).not.toMatch(/<(script|img|iframe)/i);
    expect(markdown).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(markdown).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(markdown).toContain('\\[link\\](javascript:alert(3))');
    expect(markdown).toContain('- abl: &lt;iframe src=//evil&gt;');
  });

  it('escapes names in the HTML page, which has a CSP and no scripts', async () => {
    await writeComparison(path.join(root, 'abl'), 'abl', [{ ...identitySeed0, label: '<b>x&y</b>' }]);
    const model = buildReportModel(await readRunDirectories([path.join(root, 'abl')]));
    const html = formatReportHtml({ model, tables: reportTables(model), plots: [], skipped: [] }, new Date('2025-01-02T03:04:05Z'));
    expect(html).toContain('&lt;b&gt;x&amp;y&lt;/b&gt;');
    expect(html).not.toContain('<b>x&y</b>');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain(`content="default-src 'none'`);
    expect(html).toContain('2025-01-02T03:04:05.000Z');
  });
});
