import { worstCaseRowId, type EvaluationFile } from '@robustfair/spec';

const percent = (value: number | null) => (value === null || !Number.isFinite(value) ? '–' : `${(value * 100).toFixed(1)}`);
const ratio = (value: number | null) => (value === null || !Number.isFinite(value) ? '–' : value.toFixed(3));

/** How a row reads in the table: the preset ids as the attacks' usual names. */
const rowNames: Readonly<Record<string, string>> = { clean: 'Clean', fgsm: 'FGSM', pgd20: 'PGD-20', cw: 'CW∞', 'apgd-ce': 'APGD-CE', aa: 'AutoAttack', 'worst-case': 'Worst case (per sample)' };

/**
 * Fills `table` with the class-wise table of an evaluation: one row per pass (clean, each
 * attack, the per-sample worst case) with Avg, Worst and NSD, then the accuracy of every class
 * in %. Each class cell carries its exact counts (`data-correct`, `data-count`), so what the
 * page shows can be checked against the CLI's evaluation.json count for count.
 */
export function renderClassTable(table: HTMLTableElement, evaluation: EvaluationFile): void {
  const numClasses = evaluation.rows[0]?.classAccuracy.length ?? 0;
  const classNames = evaluation.classNames ?? Array.from({ length: numClasses }, (_, index) => `class-${index}`);
  const head = table.createTHead().insertRow();
  for (const text of ['', 'Avg %', 'Worst %', 'NSD', ...classNames]) head.appendChild(Object.assign(document.createElement('th'), { textContent: text }));
  const body = table.createTBody();
  for (const row of evaluation.rows) {
    const line = body.insertRow();
    line.dataset['row'] = row.id;
    if (row.id === worstCaseRowId) line.className = 'worst-case';
    const cells = [rowNames[row.id] ?? row.id, percent(row.average), percent(row.worstClass.accuracy), ratio(row.nsd)];
    for (const text of cells) line.insertCell().textContent = text;
    row.classAccuracy.forEach((accuracy, classIndex) => {
      const cell = line.insertCell();
      cell.textContent = percent(accuracy);
      cell.dataset['class'] = String(classIndex);
      cell.dataset['correct'] = String(row.counts.correct[classIndex]);
      cell.dataset['count'] = String(row.counts.count[classIndex]);
      if (classIndex === row.worstClass.classIndex) cell.className = 'worst-class';
    });
  }
}
