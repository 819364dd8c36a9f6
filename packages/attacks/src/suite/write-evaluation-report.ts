import type { EvaluationReport } from './evaluation-report.js';

// Pure formatting, no file system: the browser playground downloads the same text the CLI
// writes. The writers are in src/node/ (`@robustfair/attacks/node`).

/** The report as JSON (2-space indent, trailing newline). NaN (an undefined NSD) becomes null. */
export function formatEvaluationJson(report: EvaluationReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * The report in long format, one number per line: `attack,class,metric,value`. Per class:
 * `count`, `correct`, `accuracy`; for class `all`: `average`, `worst-class`, `worst-class-index`,
 * `nsd`, `worst-class-lower`, `worst-class-upper`. `attack` is the row id (`clean`, an attack,
 * `worst-case`) and `class` the class id. An undefined value (NSD when every class is at 0) is empty.
 */
export function formatEvaluationCsv(report: EvaluationReport): string {
  const lines = ['attack,class,metric,value'];
  const value = (number: number) => (Number.isFinite(number) ? String(number) : '');
  for (const row of report.rows) {
    row.classAccuracy.forEach((accuracy, classIndex) => {
      lines.push(`${row.id},${classIndex},count,${value(row.counts.count[classIndex] ?? Number.NaN)}`);
      lines.push(`${row.id},${classIndex},correct,${value(row.counts.correct[classIndex] ?? Number.NaN)}`);
      lines.push(`${row.id},${classIndex},accuracy,${value(accuracy)}`);
    });
    lines.push(`${row.id},all,average,${value(row.average)}`);
    lines.push(`${row.id},all,worst-class,${value(row.worstClass.accuracy)}`);
    lines.push(`${row.id},all,worst-class-index,${row.worstClass.classIndex}`);
    lines.push(`${row.id},all,nsd,${value(row.nsd)}`);
    lines.push(`${row.id},all,worst-class-lower,${value(row.worstClassInterval.lower)}`);
    lines.push(`${row.id},all,worst-class-upper,${value(row.worstClassInterval.upper)}`);
  }
  return `${lines.join('\n')}\n`;
}
