#!/usr/bin/env node
// The numbers of a study's results page, from its committed result files only:
//
//   node tools/study-results.mjs studies/cifar10-cpu/results/cifar10-cpu [--page docs/results/cifar10-cpu.md \
//     [--fidelity studies/cifar10-cpu/fidelity/fidelity.md]]
//
// Prints Markdown (or, with --page, replaces what lies between the page's `<!-- results:begin -->`
// and `<!-- results:end -->` markers, keeping the hand-written reading around them; with
// --fidelity, also the `<!-- fidelity:begin/end -->` block, from that file): the table in
// the layout of ABSLD's Table 1 (mean and 95 % t-interval over seeds), the per-sample worst case,
// the teacher's row in the layout of its Table 7, the paired ABSLD − RSLAD differences per seed,
// and what each method cost. Arms are grouped into methods by their label without `-seed<k>`.
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Two-sided 95 % Student-t quantiles by degrees of freedom (1..30). */
const tQuantiles = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/** Mean and the half-width of its 95 % t-interval (undefined half-width for one value). */
export function meanInterval(values) {
  const n = values.length;
  if (n === 0) return undefined;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  if (n === 1) return { mean, halfWidth: undefined, n };
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  const quantile = tQuantiles[Math.min(n - 1, tQuantiles.length) - 1];
  return { mean, halfWidth: quantile * Math.sqrt(variance / n), n };
}

const methodOf = (label) => label.replace(/-seed\d+$/, '');
const percent = (value) => (value * 100).toFixed(1);
const cell = (interval, scale = percent) =>
  interval === undefined ? '–' : interval.halfWidth === undefined ? scale(interval.mean) : `${scale(interval.mean)} ± ${scale(interval.halfWidth)}`;
const ratio = (value) => value.toFixed(3);

/** The rows a table shows, by result key: clean, then the attacks, then the per-sample worst case. */
const columns = [
  ['clean', 'Clean'],
  ['fgsm', 'FGSM'],
  ['pgd20', 'PGD-20'],
  ['cw', 'CW∞'],
  ['aa', 'AA'],
  ['worst-case', 'Worst case'],
];

const rowOf = (evaluation, key) => (key === 'clean' ? evaluation.clean : evaluation.attacks[key]);

/** Average, worst-class accuracy and NSD of one evaluation row of each arm, as intervals over the arms. */
function summarize(arms, key) {
  const rows = arms.map((arm) => rowOf(arm.evaluation, key)).filter((row) => row !== undefined);
  const take = (pick) => meanInterval(rows.map(pick).filter((value) => typeof value === 'number' && Number.isFinite(value)));
  return { average: take((row) => row.average), worst: take((row) => row.worstClass.accuracy), nsd: take((row) => row.nsd), seeds: rows.length };
}

function methodsOf(comparison) {
  const methods = new Map();
  for (const arm of comparison.arms) {
    const name = methodOf(arm.label);
    if (!methods.has(name)) methods.set(name, []);
    methods.get(name).push(arm);
  }
  return methods;
}

function mainTable(methods) {
  const header = ['Method', 'Seeds', ...columns.flatMap(([, title]) => [`${title} Avg`, `${title} Worst`, `${title} NSD`])];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  for (const [name, arms] of methods) {
    const cells = columns.flatMap(([key]) => {
      const summary = summarize(arms, key);
      return [cell(summary.average), cell(summary.worst), cell(summary.nsd, ratio)];
    });
    // count, then which: one seed 0 must not read as "no seeds"
    lines.push(`| ${name} | ${arms.length} (${arms.map((arm) => arm.seed).join(', ')}) | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

function teacherTable(comparison) {
  const header = ['Teacher (seed of the arms)', ...columns.filter(([key]) => key !== 'worst-case').flatMap(([, title]) => [`${title} Avg`, `${title} Worst`, `${title} NSD`])];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  for (const teacher of comparison.teachers) {
    const arm = comparison.arms.find((candidate) => candidate.teacher?.key === teacher.key);
    const cells = columns
      .filter(([key]) => key !== 'worst-case')
      .flatMap(([key]) => {
        const row = rowOf(teacher.evaluation, key);
        return row === undefined ? ['–', '–', '–'] : [percent(row.average), percent(row.worstClass.accuracy), ratio(row.nsd)];
      });
    lines.push(`| ${path.basename(teacher.directory)} (seed ${arm?.seed ?? teacher.seed ?? '?'}) | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** ABSLD − RSLAD per seed (same seed, same teacher, same data), with the interval over seeds. */
function pairedTable(methods, first = 'absld', second = 'rslad') {
  const left = methods.get(first) ?? [];
  const right = methods.get(second) ?? [];
  const pairs = left.map((arm) => [arm, right.find((other) => other.seed === arm.seed)]).filter(([, other]) => other !== undefined);
  const measures = [
    ['pgd20', 'worst', 'PGD-20 worst class (points)', (row) => row.worstClass.accuracy * 100],
    ['pgd20', 'nsd', 'PGD-20 NSD', (row) => row.nsd],
    ['pgd20', 'average', 'PGD-20 average (points)', (row) => row.average * 100],
    ['cw', 'worst', 'CW∞ worst class (points)', (row) => row.worstClass.accuracy * 100],
    ['cw', 'nsd', 'CW∞ NSD', (row) => row.nsd],
    ['aa', 'worst', 'AA worst class (points)', (row) => row.worstClass.accuracy * 100],
    ['aa', 'nsd', 'AA NSD', (row) => row.nsd],
  ];
  const header = ['Measure', ...pairs.map(([arm]) => `seed ${arm.seed}`), 'Mean ± 95 % interval'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  const intervals = {};
  for (const [key, measure, title, pick] of measures) {
    const differences = pairs.map(([arm, other]) => {
      const mine = rowOf(arm.evaluation, key);
      const theirs = rowOf(other.evaluation, key);
      return mine && theirs ? pick(mine) - pick(theirs) : undefined;
    });
    const known = differences.filter((value) => value !== undefined && Number.isFinite(value));
    if (known.length === 0) continue;
    const format = (value) => (value === undefined ? '–' : title.includes('NSD') ? value.toFixed(3) : value.toFixed(1));
    intervals[`${key}.${measure}`] = meanInterval(known);
    lines.push(`| ${title} | ${differences.map(format).join(' | ')} | ${cell(meanInterval(known), format)} |`);
  }
  return { table: lines.join('\n'), seeds: pairs.length, intervals };
}

/** A similar average: the paired mean difference within this many points (ABSLD's own tables differ by ~1). */
export const similarAverageMargin = 2;

/**
 * The ABSLD paper's claim, checked against the paired differences under one attack: worst-class
 * accuracy up (interval above 0), NSD down (interval below 0), at a similar average (mean
 * difference within ±{@link similarAverageMargin} points). Worst and NSD are each "holds",
 * "reversed" (the interval is on the wrong side of 0) or "not resolved" (it contains 0, or one
 * seed); the average is "holds" or "no".
 */
export function claimCheck(intervals, attack) {
  const side = (interval, wanted) => {
    if (!interval || interval.halfWidth === undefined) return 'not resolved';
    const low = interval.mean - interval.halfWidth;
    const high = interval.mean + interval.halfWidth;
    if (wanted > 0 ? low > 0 : high < 0) return 'holds';
    if (wanted > 0 ? high < 0 : low > 0) return 'reversed';
    return 'not resolved';
  };
  const average = intervals[`${attack}.average`];
  return {
    worst: side(intervals[`${attack}.worst`], +1),
    nsd: side(intervals[`${attack}.nsd`], -1),
    similarAverage: average === undefined ? 'not resolved' : Math.abs(average.mean) <= similarAverageMargin ? 'holds' : 'no',
  };
}

function claimStatement(intervals, seeds) {
  const check = claimCheck(intervals, 'pgd20');
  const all = Object.values(check);
  const verdict = all.every((part) => part === 'holds') ? 'holds' : all.includes('reversed') || all.includes('no') ? 'does not hold' : 'is not resolved';
  return [
    `Under PGD-20 over ${seeds} paired seed${seeds === 1 ? '' : 's'}, the ABSLD paper's claim against RSLAD ${verdict} at this scale:`,
    `higher worst-class accuracy: ${check.worst}; lower NSD: ${check.nsd}; similar average (within ±${similarAverageMargin} points): ${check.similarAverage}.`,
    '("holds": the 95 % interval of the paired difference lies on the claimed side of 0; "reversed": on the other side; "not resolved": it contains 0.)',
  ].join(' ');
}

function costTable(methods) {
  const lines = ['| Method | Training (min, mean) | Evaluation (min, mean) |', '| --- | --- | --- |'];
  for (const [name, arms] of methods) {
    const minutes = (pick) => (arms.reduce((sum, arm) => sum + pick(arm), 0) / arms.length / 60).toFixed(1);
    lines.push(`| ${name} | ${minutes((arm) => arm.training.seconds)} | ${minutes((arm) => arm.evaluation.seconds)} |`);
  }
  const total = [...methods.values()].flat().reduce((sum, arm) => sum + arm.training.seconds + arm.evaluation.seconds, 0);
  return `${lines.join('\n')}\n\nSum over all arms: ${(total / 3600).toFixed(2)} hours of arm time (arms ran two at a time, one thread each).`;
}

/** The generated Markdown for a comparison directory. */
export function studyResults(comparison) {
  const methods = methodsOf(comparison);
  const paired = pairedTable(methods);
  const arms = comparison.arms;
  const versions = [...new Set(arms.map((arm) => arm.versions?.['@robustfair/core']))].join(', ');
  const commits = [...new Set(arms.map((arm) => arm.versions?.commit ?? 'not recorded'))].join(', ');
  return [
    ...(comparison.partial ? ['**Partial**: the study has not finished; these are the arms with a result so far (no comparison.json yet).', ''] : []),
    `${arms.length} arms in ${methods.size} methods; seeds ${[...new Set(arms.map((arm) => arm.seed))].join(', ')}. Versions: @robustfair/core ${versions}; code: ${commits}.`,
    '',
    '### Class-wise robustness (ABSLD Table 1 layout; % and NSD, mean ± 95 % t-interval over seeds)',
    '',
    mainTable(methods),
    '',
    '### The teacher (ABSLD Table 7 layout)',
    '',
    teacherTable(comparison),
    '',
    `### ABSLD − RSLAD, paired by seed (${paired.seeds} seed${paired.seeds === 1 ? '' : 's'})`,
    '',
    paired.table,
    '',
    claimStatement(paired.intervals, paired.seeds),
    '',
    '### Cost',
    '',
    costTable(methods),
  ].join('\n');
}

/**
 * The comparison of a study directory: its comparison.json when the run ended, otherwise (a run
 * interrupted, or still going) one assembled from the arms that have a result.json, so a partial
 * study already has its page. Arms keep the config's order only in comparison.json; assembled
 * ones are in directory order, which the methods' grouping does not depend on.
 */
export function readComparison(directory) {
  const file = path.join(directory, 'comparison.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  const arms = readdirSync(directory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(directory, entry.name, 'result.json')))
    .map((entry) => JSON.parse(readFileSync(path.join(directory, entry.name, 'result.json'), 'utf8')))
    .filter((arm) => arm.label !== undefined && arm.evaluation !== undefined);
  // Keyed by directory name: an arm's teacher.key is the spec hash, the directory is teacher-<hash prefix>.
  const teachers = new Map();
  for (const arm of arms) {
    const name = arm.teacher && path.basename(arm.teacher.directory);
    if (name && !teachers.has(name)) teachers.set(name, arm.teacher);
  }
  // Teachers evaluated before any arm that distils from them finished: their own result.json.
  const teacherRoot = path.join(directory, 'teachers');
  if (existsSync(teacherRoot)) {
    for (const entry of readdirSync(teacherRoot, { withFileTypes: true })) {
      const file = path.join(teacherRoot, entry.name, 'result.json');
      if (!entry.isDirectory() || !existsSync(file) || teachers.has(entry.name)) continue;
      const result = JSON.parse(readFileSync(file, 'utf8'));
      teachers.set(entry.name, { key: entry.name, directory: path.join(teacherRoot, entry.name), evaluation: result.evaluation, seed: result.seed });
    }
  }
  return { arms, teachers: [...teachers.values()], partial: true };
}

/** Replaces what lies between `<!-- name:begin -->` and `<!-- name:end -->` in a page's text. */
export function replaceBlock(page, name, content, file) {
  const begin = `<!-- ${name}:begin -->`;
  const end = `<!-- ${name}:end -->`;
  const from = page.indexOf(begin);
  const to = page.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file}: needs the markers ${begin} and ${end} around the generated part`);
  return `${page.slice(0, from + begin.length)}\n${content.trimEnd()}\n${page.slice(to)}`;
}

function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { page: { type: 'string' }, fidelity: { type: 'string' } } });
  if (positionals.length !== 1 || (values.fidelity !== undefined && values.page === undefined)) {
    process.stderr.write('usage: node tools/study-results.mjs <comparison directory> [--page file.md [--fidelity fidelity.md]]\n');
    process.exit(2);
  }
  const comparison = readComparison(positionals[0]);
  const generated = studyResults(comparison);
  if (values.page === undefined) {
    process.stdout.write(`${generated}\n`);
    return;
  }
  try {
    let page = replaceBlock(readFileSync(values.page, 'utf8'), 'results', generated, values.page);
    // The fidelity tables are compare_fidelity.py's output (studies/<study>/fidelity/), copied in
    // whole so that the page holds no number typed by hand.
    if (values.fidelity !== undefined) page = replaceBlock(page, 'fidelity', readFileSync(values.fidelity, 'utf8'), values.page);
    // Written beside the page and renamed over it: an interrupted run leaves the old page whole.
    const scratch = `${values.page}.${process.pid}.tmp`;
    writeFileSync(scratch, page);
    renameSync(scratch, values.page);
  } catch (error) {
    process.stderr.write(`study-results: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  process.stderr.write(`${values.page}: results updated${values.fidelity === undefined ? '' : ` (fidelity from ${values.fidelity})`}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) main();
