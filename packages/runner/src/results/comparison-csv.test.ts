import { describe, expect, it } from 'vitest';
import type { ClassSummary } from '../evaluation/summarize-row.js';
import { comparisonCsv } from './comparison-csv.js';

const summary = (classAccuracy: number[]): ClassSummary => {
  const average = classAccuracy.reduce((a, b) => a + b, 0) / classAccuracy.length;
  const worst = Math.min(...classAccuracy);
  const std = Math.sqrt(classAccuracy.reduce((sum, value) => sum + (value - average) ** 2, 0) / classAccuracy.length);
  return { count: classAccuracy.map(() => 2), correct: classAccuracy.map((a) => a * 2), classAccuracy, average, worstClass: { accuracy: worst, classIndex: classAccuracy.indexOf(worst) }, nsd: std / average };
};

describe('comparisonCsv', () => {
  it('writes one long-format row per class accuracy and per summary metric, quoting labels that need it', () => {
    const csv = comparisonCsv([
      { label: 'a,b', seed: 3, evaluation: { split: 'test', epsilon: 8 / 255, clean: summary([1, 0.5]), attacks: { pgd20: summary([0.5, 0]) }, flags: [] } },
    ]);
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('arm,seed,split,evaluation,class,metric,value');
    // clean: classes 1 and 0.5 → average 0.75, worst 0.5 at class 1, NSD = 0.25 / 0.75
    expect(lines.slice(1, 7)).toEqual([
      '"a,b",3,test,clean,0,accuracy,1',
      '"a,b",3,test,clean,1,accuracy,0.5',
      '"a,b",3,test,clean,all,average,0.75',
      '"a,b",3,test,clean,all,worst-class,0.5',
      '"a,b",3,test,clean,all,worst-class-index,1',
      `"a,b",3,test,clean,all,nsd,${0.25 / 0.75}`,
    ]);
    expect(lines).toContain('"a,b",3,test,pgd20,all,worst-class-index,1');
    expect(lines).toHaveLength(1 + 2 * 6);
  });

  it('writes an undefined NSD (every class at 0) as an empty field, as evaluation.csv does', () => {
    const allWrong = { ...summary([0, 0]), nsd: Number.NaN };
    const csv = comparisonCsv([{ label: 'x', seed: 0, evaluation: { split: 'test', epsilon: 8 / 255, clean: allWrong, attacks: {}, flags: [] } }]);
    expect(csv).toContain('x,0,test,clean,all,nsd,\n');
    expect(csv).not.toContain('NaN');
  });
});
