import { evaluationFileSchema } from '@robustfair/spec';
import { describe, expect, it } from 'vitest';
import { evaluationArm } from './evaluation-arm.js';
import { reportPlots } from './plot-specs.js';
import { buildReportModel } from './report-model.js';

// Two classes of 4 and 2 samples: clean 3/4 and 2/2, PGD-20 1/4 and 1/2; the worst case equals
// PGD-20 here. The plot must carry exactly those class accuracies under the worst case.
const row = (id: string, correct: number[]) => {
  const count = [4, 2];
  const classAccuracy = correct.map((value, index) => value / (count[index] as number));
  const average = correct.reduce((a, b) => a + b, 0) / 6;
  const worst = Math.min(...classAccuracy);
  return { id, counts: { count, correct }, classAccuracy, average, worstClass: { accuracy: worst, classIndex: classAccuracy.indexOf(worst) }, nsd: 0 };
};
const file = evaluationFileSchema.parse({
  schemaVersion: 1,
  split: 'test',
  classNames: ['cat', 'dog'],
  rows: [row('clean', [3, 2]), row('pgd20', [1, 1]), row('worst-case', [1, 1])],
});

describe('evaluationArm', () => {
  it('turns evaluation.json rows into a report arm whose class-wise plot shows the worst case', () => {
    const arm = evaluationArm(file, { source: 'picked files', label: 'model', epsilon: 8 / 255 });
    expect([...arm.evaluations.keys()]).toEqual(['clean', 'pgd20', 'worst-case']);
    expect(arm.evaluations.get('pgd20')?.count).toEqual([4, 2]);
    const model = buildReportModel({ arms: [arm], sources: ['picked files'], notes: [] });
    expect(model.strongest).toBe('worst-case');
    expect(model.classNames).toEqual(['cat', 'dog']);
    const plot = reportPlots(model).plots.find((entry) => entry.name === 'class-robust-accuracy');
    const values = (plot?.spec.data as { values: { class: string; accuracy: number }[] }).values;
    expect(values.map((value) => [value.class, value.accuracy])).toEqual([
      ['cat', 0.25],
      ['dog', 0.5],
    ]);
  });
});
