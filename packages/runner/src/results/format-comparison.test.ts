import { describe, expect, it } from 'vitest';
import type { ArmEvaluation } from '../experiment-runner.js';
import { classColumnHeaders, formatArm, formatComparison, formatEpsilon, nsdFootnote } from './format-comparison.js';

const cifar10Names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

const summary = (classAccuracy: number[]) => {
  const average = classAccuracy.reduce((sum, value) => sum + value, 0) / classAccuracy.length;
  const worst = Math.min(...classAccuracy);
  return { classAccuracy, average, worstClass: { classIndex: classAccuracy.indexOf(worst), accuracy: worst }, nsd: 0.25 };
};

const evaluation = (numClasses: number, epsilon: number) =>
  ({
    split: 'test',
    epsilon,
    clean: summary(Array.from({ length: numClasses }, (_, index) => 0.5 + index / (4 * numClasses))),
    attacks: { pgd20: summary(Array.from({ length: numClasses }, () => 0.25)) },
    flags: [],
  }) as unknown as ArmEvaluation;

describe(formatEpsilon, () => {
  it('writes a whole number of 255ths as k/255, anything else with four decimals', () => {
    expect(formatEpsilon(8 / 255)).toBe('8/255');
    expect(formatEpsilon(2 / 255)).toBe('2/255');
    expect(formatEpsilon(0.0314)).toBe('0.0314');
    expect(formatEpsilon(0)).toBe('0.0000');
    expect(formatEpsilon(0.5)).toBe('0.5000');
  });
});

describe(classColumnHeaders, () => {
  it('cuts class names to fit a column', () => {
    expect(classColumnHeaders(10, cifar10Names)).toEqual(['airpl', 'autom', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
    expect(classColumnHeaders(2, ['sea lion', 'ox'])).toEqual(['sea_l', 'ox']);
  });

  it('falls back to indices without names, with the wrong count, or when cut names collide', () => {
    expect(classColumnHeaders(3)).toEqual(['0', '1', '2']);
    expect(classColumnHeaders(3, ['a', 'b'])).toEqual(['0', '1', '2']);
    expect(classColumnHeaders(2, ['maple_tree', 'maple_leaf'])).toEqual(['0', '1']);
  });
});

describe(formatArm, () => {
  it('heads the table with ε as k/255 and the class names, and explains NSD under it', () => {
    const lines = formatArm('identity', evaluation(10, 8 / 255), cifar10Names).split('\n');
    expect(lines[0]).toBe('arm identity: class-wise accuracy (%) on test, epsilon 8/255');
    expect(lines[1]).toMatch(/^class\s+airpl\s+autom\s+bird\s+cat .* truck \|\s+avg\s+worst\s+NSD$/);
    expect(lines.at(-1)).toBe(nsdFootnote);
    expect(nsdFootnote).toMatch(/std \/ mean of the class accuracies/);
  });

  it('keeps class indices when the dataset has no names', () => {
    expect(formatArm('identity', evaluation(3, 0.0314)).split('\n').slice(0, 2)).toEqual([
      'arm identity: class-wise accuracy (%) on test, epsilon 0.0314',
      'class        0     1     2 |    avg  worst    NSD',
    ]);
  });
});

describe(formatComparison, () => {
  it('ends with the NSD footnote', () => {
    const text = formatComparison('fairness', [{ label: 'identity', evaluation: evaluation(3, 8 / 255) }]);
    expect(text.split('\n').at(-1)).toBe(nsdFootnote);
  });
});
