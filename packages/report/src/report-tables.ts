import { cleanRowId } from '@robustfair/spec';
import type { MeanAndDeviation } from './mean-and-deviation.js';
import { evaluationName, underEvaluation, type ReportModel } from './report-model.js';

/** A table as text cells, rendered by both the Markdown and the HTML page. */
export interface TextTable {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  /** Optional spanning header above `header` (HTML only; Markdown folds it into the column names). */
  readonly groups?: readonly { readonly label: string; readonly span: number }[];
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** An accuracy in % with one decimal, as the papers print it; `n/a` when undefined. */
export function formatPercent(value: number): string {
  return Number.isFinite(value) ? (100 * value).toFixed(1) : 'n/a';
}

/** `mean ± std` (std only with several seeds), accuracies in %. */
export function formatPercentMean(statistic: MeanAndDeviation): string {
  if (!Number.isFinite(statistic.mean)) return 'n/a';
  return Number.isFinite(statistic.std) ? `${formatPercent(statistic.mean)} ± ${formatPercent(statistic.std)}` : formatPercent(statistic.mean);
}

/** `mean ± std` of a unitless statistic (NSD), three decimals. */
export function formatRatioMean(statistic: MeanAndDeviation): string {
  if (!Number.isFinite(statistic.mean)) return 'n/a';
  return Number.isFinite(statistic.std) ? `${statistic.mean.toFixed(3)} ± ${statistic.std.toFixed(3)}` : statistic.mean.toFixed(3);
}

/** ε as `8/255 (0.0314)` when it is a whole number of 255ths, else the number. */
export function formatEpsilon(epsilon: number): string {
  const steps = epsilon * 255;
  return Math.abs(steps - Math.round(steps)) < 1e-6 && Math.round(steps) > 0 ? `${Math.round(steps)}/255 (${epsilon.toFixed(4)})` : epsilon.toPrecision(4);
}

/** The Seeds column: how many, then which (`3 (0, 1, 2)`), so one seed `0` does not read as "no seeds". */
export function formatSeeds(seeds: readonly number[]): string {
  return `${seeds.length} (${seeds.join(', ')})`;
}

/**
 * The Table-1 layout of the ABSLD paper: a row per method, for clean, each attack and the
 * worst case the average (Avg.) and worst-class (Worst) accuracy, then the NSD of the strongest
 * evaluation.
 */
export function methodTable(model: ReportModel): TextTable {
  const evaluations = model.evaluations;
  const severalSeeds = model.table.some((row) => row.seeds.length > 1);
  return {
    id: 'methods',
    title: 'Methods',
    caption:
      `Accuracy (%) on the ${model.split} split at ε = ${formatEpsilon(model.epsilon)}: average (Avg.) and worst-class (Worst) accuracy, clean and under each attack; ` +
      `"Worst case" counts a sample as correct only if it is correct clean and under every attack run on all samples (an attack run on a subset is left out). ` +
      `NSD is std/mean of the class accuracies under ${underEvaluation(model.strongest)} (lower is more even)` +
      (severalSeeds ? '. With several seeds: mean ± sample standard deviation over the seeds.' : '.'),
    groups: [{ label: '', span: 2 }, ...evaluations.map((id) => ({ label: evaluationName(id), span: 2 })), { label: '', span: 1 }],
    header: ['Method', 'Seeds', ...evaluations.flatMap(() => ['Avg.', 'Worst']), 'NSD'],
    rows: model.table.map((row) => [
      row.method,
      formatSeeds(row.seeds),
      ...evaluations.flatMap((id) => {
        const cell = row.cells.get(id);
        return cell ? [formatPercentMean(cell.average), formatPercentMean(cell.worst)] : ['–', '–'];
      }),
      formatRatioMean(row.nsd),
    ]),
  };
}

/** Class-wise accuracy (%) per method, mean over seeds, for one evaluation. */
export function classTable(model: ReportModel, evaluation: string): TextTable {
  return {
    id: `classes-${evaluation}`,
    title: `Class-wise accuracy: ${evaluationName(evaluation).toLowerCase()}`,
    caption: `Accuracy (%) of each class ${evaluation === cleanRowId ? 'on clean inputs' : `under ${underEvaluation(evaluation)}`}, ${model.split} split, mean over each method's seeds.`,
    header: ['Method', ...model.classNames],
    rows: model.table.map((row) => {
      const accuracy = row.classAccuracy.get(evaluation);
      return [row.method, ...model.classNames.map((_, classIndex) => (accuracy ? formatPercent(accuracy[classIndex] ?? Number.NaN) : '–'))];
    }),
  };
}

/** The teachers of distillation arms: clean and strongest Avg./Worst. */
export function teacherTable(model: ReportModel): TextTable | undefined {
  if (model.teachers.length === 0) return undefined;
  const evaluations = [cleanRowId, model.strongest];
  return {
    id: 'teachers',
    title: 'Teachers',
    caption: 'The teachers the distillation arms learned from (trained or imported once per teacher spec). A student is capped by its teacher.',
    header: ['Teacher', 'Arms', ...evaluations.flatMap((id) => [`${evaluationName(id)} Avg.`, `${evaluationName(id)} Worst`])],
    rows: model.teachers.map((teacher) => [
      teacher.key.slice(0, 8),
      teacher.arms.join(', '),
      ...evaluations.flatMap((id) => {
        const row = teacher.evaluations.get(id);
        return row ? [formatPercent(row.average), formatPercent(row.worstClass.accuracy)] : ['–', '–'];
      }),
    ]),
  };
}

/** Where each arm came from: its method, seed, epochs logged and directory. */
export function armTable(model: ReportModel): TextTable {
  return {
    id: 'arms',
    title: 'Arms',
    caption: 'Every arm in the report. Arms whose specs differ only in the seed form one method.',
    header: ['Arm', 'Method', 'Seed', 'Epochs', 'Directory'],
    rows: model.arms.map((arm) => [arm.id, arm.method, String(arm.seed), String(arm.epochs.length), arm.directory]),
  };
}

/** Every table of the report, in page order. */
export function reportTables(model: ReportModel): TextTable[] {
  const classTables = [...new Set([model.strongest, cleanRowId])].filter((id) => model.evaluations.includes(id)).map((id) => classTable(model, id));
  const teachers = teacherTable(model);
  return [methodTable(model), ...classTables, ...(teachers ? [teachers] : []), armTable(model)];
}
