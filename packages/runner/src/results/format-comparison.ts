import type { ClassSummary } from '../evaluation/summarize-row.js';
import type { ArmEvaluation } from '../experiment-runner.js';

const percent = (value: number) => (Number.isFinite(value) ? (100 * value).toFixed(1) : 'n/a');
const pad = (text: string, width: number) => text.padStart(width);

function row(name: string, summary: ClassSummary, nameWidth: number): string {
  const classes = summary.classAccuracy.map((accuracy) => pad(percent(accuracy), 6)).join('');
  const nsd = Number.isFinite(summary.nsd) ? summary.nsd.toFixed(3) : 'n/a';
  return `${name.padEnd(nameWidth)}${classes} |${pad(percent(summary.average), 7)}${pad(percent(summary.worstClass.accuracy), 7)}${pad(nsd, 7)}`;
}

/** How NSD is read, under every console table that shows it. */
export const nsdFootnote = 'NSD: std / mean of the class accuracies (0 = every class equally accurate; lower is fairer)';

/** ε as a reader knows it: `8/255` when it is a whole number of 255ths, else four decimals. */
export function formatEpsilon(epsilon: number): string {
  const steps = Math.round(epsilon * 255);
  return steps > 0 && Math.abs(epsilon * 255 - steps) < 1e-6 ? `${steps}/255` : epsilon.toFixed(4);
}

const columnWidth = 6;

/**
 * Column headers: class names cut to fit a column (`airpl`, `autom`, `bird`) when the dataset
 * has names and the cut names stay distinct, else class indices.
 */
export function classColumnHeaders(numClasses: number, classNames?: readonly string[]): string[] {
  const indices = Array.from({ length: numClasses }, (_, index) => String(index));
  if (classNames?.length !== numClasses) return indices;
  const cut = classNames.map((name) => name.trim().replace(/\s+/g, '_').slice(0, columnWidth - 1));
  return new Set(cut).size === numClasses && cut.every((name) => name !== '') ? cut : indices;
}

/**
 * One arm's class-wise table: a row per evaluation (clean, then each attack), accuracies in %,
 * classes headed by their (cut) names when the dataset has names.
 */
export function formatArm(label: string, evaluation: ArmEvaluation, classNames?: readonly string[]): string {
  const rows: [string, ClassSummary][] = [['clean', evaluation.clean], ...Object.entries(evaluation.attacks)];
  const nameWidth = Math.max(8, ...rows.map(([name]) => name.length + 2));
  const numClasses = evaluation.clean.classAccuracy.length;
  const header = classColumnHeaders(numClasses, classNames)
    .map((name) => pad(name, columnWidth))
    .join('');
  return [
    `arm ${label}: class-wise accuracy (%) on ${evaluation.split}, epsilon ${formatEpsilon(evaluation.epsilon)}`,
    `${'class'.padEnd(nameWidth)}${header} |${pad('avg', 7)}${pad('worst', 7)}${pad('NSD', 7)}`,
    ...rows.map(([name, summary]) => row(name, summary, nameWidth)),
    nsdFootnote,
  ].join('\n');
}

/** The side-by-side summary of an ablation: average / worst-class / NSD per arm and evaluation. */
export function formatComparison(field: string, arms: readonly { readonly label: string; readonly evaluation: ArmEvaluation }[]): string {
  const names = arms[0] ? ['clean', ...Object.keys(arms[0].evaluation.attacks)] : [];
  const labelWidth = Math.max(6, ...arms.map((arm) => arm.label.length + 2));
  const lines = [
    `comparison over '${field}': accuracy (%) average / worst-class, and NSD`,
    `${'arm'.padEnd(labelWidth)}${names.map((name) => pad(name, 22)).join('')}`,
  ];
  for (const arm of arms) {
    const cells = names.map((name) => {
      const summary = name === 'clean' ? arm.evaluation.clean : arm.evaluation.attacks[name];
      if (!summary) return pad('-', 22);
      const nsd = Number.isFinite(summary.nsd) ? summary.nsd.toFixed(2) : 'n/a';
      return pad(`${percent(summary.average)} / ${percent(summary.worstClass.accuracy)} / ${nsd}`, 22);
    });
    lines.push(`${arm.label.padEnd(labelWidth)}${cells.join('')}`);
  }
  lines.push(nsdFootnote);
  return lines.join('\n');
}
