import { createSeededRandom, deriveSeed } from '@robustfair/core';
import { DatasetError } from '@robustfair/spec';
import { describe, expect, it } from 'vitest';
import { firstPerClass, perClassSplitSchema, splitPerClass } from './per-class-split.js';

// Class 0 at indices 0, 2, 5, 9; class 1 at 1, 4, 8, 10; class 2 at 3, 6, 7, 11.
const labels = [0, 1, 0, 2, 1, 0, 2, 2, 1, 0, 1, 2];

describe(splitPerClass, () => {
  it("'first' takes the lowest indices of each class (CFA's rule)", () => {
    expect(splitPerClass(labels, 3, { perClass: 2, take: 'first' }, 0)).toEqual({
      taken: [0, 1, 2, 3, 4, 6], // 0, 2 | 1, 4 | 3, 6
      kept: [5, 7, 8, 9, 10, 11],
    });
  });

  it("'last' takes the highest indices of each class (FRL's rule)", () => {
    expect(splitPerClass(labels, 3, { perClass: 1, take: 'last' }, 0)).toEqual({
      taken: [9, 10, 11],
      kept: [0, 1, 2, 3, 4, 5, 6, 7, 8],
    });
    expect(splitPerClass(labels, 3, { perClass: 2, take: 'last' }, 0).taken).toEqual([5, 7, 8, 9, 10, 11]); // 5, 9 | 8, 10 | 7, 11
  });

  describe("'random'", () => {
    it('takes, per class c, the first perClass of that class shuffled by deriveSeed(seed, "class", c)', () => {
      const byClass = [
        [0, 2, 5, 9],
        [1, 4, 8, 10],
        [3, 6, 7, 11],
      ];
      const expected = byClass.flatMap((indices, c) => createSeededRandom(deriveSeed(5, 'class', c)).shuffled(indices).slice(0, 2)).sort((a, b) => a - b);
      const { taken, kept } = splitPerClass(labels, 3, { perClass: 2, take: 'random' }, 5);
      expect(taken).toEqual(expected);
      expect([...taken, ...kept].sort((a, b) => a - b)).toEqual(labels.map((_, index) => index));
    });

    it('takes perClass of every class, repeats under a seed and changes with it', () => {
      const many = Array.from({ length: 300 }, (_, index) => index % 3);
      const first = splitPerClass(many, 3, { perClass: 10, take: 'random' }, 1);
      expect([0, 1, 2].map((c) => first.taken.filter((index) => many[index] === c).length)).toEqual([10, 10, 10]);
      expect(splitPerClass(many, 3, { perClass: 10, take: 'random' }, 1)).toEqual(first);
      expect(splitPerClass(many, 3, { perClass: 10, take: 'random' }, 2).taken).not.toEqual(first.taken);
    });
  });

  it('refuses to take every image of a class, naming the class', () => {
    expect(() => splitPerClass(labels, 3, { perClass: 4, take: 'first' }, 0)).toThrow(DatasetError);
    expect(() => splitPerClass(labels, 3, { perClass: 4, take: 'first' }, 0)).toThrow(/class 0 has 4 training images, expected more than perClass = 4/);
  });

  it("defaults take to 'first' and rejects unknown modes", () => {
    expect(perClassSplitSchema.parse({ perClass: 3 })).toEqual({ perClass: 3, take: 'first' });
    expect(perClassSplitSchema.safeParse({ perClass: 3, take: 'middle' }).success).toBe(false);
  });
});

describe(firstPerClass, () => {
  it('keeps the first N of each class in index order, all of a class with fewer', () => {
    expect(firstPerClass(labels, 3, 1)).toEqual([0, 1, 3]);
    expect(firstPerClass([0, 0, 1, 0], 2, 2)).toEqual([0, 1, 2]);
  });
});
