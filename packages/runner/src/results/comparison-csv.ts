import type { ArmEvaluation } from '../experiment-runner.js';

/** What the CSV needs of an arm: its label, seed and final evaluation. */
export interface CsvArm {
  readonly label: string;
  readonly seed: number;
  readonly evaluation: ArmEvaluation;
}

const header = ['arm', 'seed', 'split', 'evaluation', 'class', 'metric', 'value'] as const;

/** Quotes a field when it holds a comma, a quote or a line break (RFC 4180). */
function field(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** An undefined number (NSD when every class is at 0) is an empty field, as in evaluation.csv. */
function number(value: number): string | number {
  return Number.isFinite(value) ? value : '';
}

/**
 * The comparison as one long-format table (`comparison.csv`), for pandas, R or a spreadsheet:
 * per arm and evaluation (clean, each attack, worst case) the class accuracies (`class` = index)
 * and the summary metrics (`class` = `all`, as in each run's evaluation.csv): average,
 * worst-class, worst class index, NSD.
 */
export function comparisonCsv(arms: readonly CsvArm[]): string {
  const rows: (string | number)[][] = [];
  for (const arm of arms) {
    const { split } = arm.evaluation;
    const evaluations = [['clean', arm.evaluation.clean] as const, ...Object.entries(arm.evaluation.attacks)];
    for (const [name, summary] of evaluations) {
      summary.classAccuracy.forEach((accuracy, index) => rows.push([arm.label, arm.seed, split, name, index, 'accuracy', number(accuracy)]));
      rows.push([arm.label, arm.seed, split, name, 'all', 'average', number(summary.average)]);
      rows.push([arm.label, arm.seed, split, name, 'all', 'worst-class', number(summary.worstClass.accuracy)]);
      rows.push([arm.label, arm.seed, split, name, 'all', 'worst-class-index', summary.worstClass.classIndex]);
      rows.push([arm.label, arm.seed, split, name, 'all', 'nsd', number(summary.nsd)]);
    }
  }
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\n') + '\n';
}
