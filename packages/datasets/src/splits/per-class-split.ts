import { createSeededRandom, deriveSeed } from '@robustfair/core';
import { DatasetError } from '@robustfair/spec';
import { z } from 'zod';

/**
 * A validation split taken out of the training split, the same number from every class:
 * `first`/`last` by index within each class (CFA: the first 100; FRL: the last 300), `random`
 * seeded (`seed`, or a seed derived from the run's seed when omitted).
 */
export const perClassSplitSchema = z.strictObject({
  /** Images of each class moved from train to validation. */
  perClass: z.number().int().min(1).describe('Images of each class moved from train to validation.'),
  take: z.enum(['first', 'last', 'random']).default('first'),
  /** Only for `take: 'random'`; default derived from the run's seed. */
  seed: z.number().int().min(0).optional().describe('Only for `take: \'random\'`; default derived from the run\'s seed.'),
});

/** Raw split spec as written in a config. */
export type PerClassSplitInput = z.input<typeof perClassSplitSchema>;
/** Parsed split spec (defaults filled). */
export type PerClassSplit = z.output<typeof perClassSplitSchema>;

/** The two halves of a split, each ascending original indices. */
export interface PerClassSplitIndices {
  /** What stays in the training split. */
  readonly kept: number[];
  /** What becomes the validation split. */
  readonly taken: number[];
}

/** Indices of each class, ascending, one list per class id. */
export function indicesByClass(labels: ArrayLike<number>, numClasses: number): number[][] {
  const byClass = Array.from({ length: numClasses }, (): number[] => []);
  for (let index = 0; index < labels.length; index++) {
    const label = labels[index] as number;
    const bucket = byClass[label];
    if (bucket === undefined) throw new DatasetError(`label ${label} at index ${index} is outside [0, ${numClasses - 1}]`);
    bucket.push(index);
  }
  return byClass;
}

/**
 * Splits index 0..labels.length-1 per class: `perClass` indices of every class are `taken`
 * (validation), the rest `kept` (train). `first`/`last` go by index within the class;
 * `random` draws, for class c, the first `perClass` of `createSeededRandom(deriveSeed(seed,
 * 'class', c)).shuffled(indices of c)`, so one class's draw does not depend on the others.
 * Both lists come back in ascending index order. A class with no more than `perClass` images is
 * an error: it would leave that class out of training.
 */
export function splitPerClass(
  labels: ArrayLike<number>,
  numClasses: number,
  { perClass, take }: Pick<PerClassSplit, 'perClass' | 'take'>,
  seed: number,
): PerClassSplitIndices {
  const taken: number[] = [];
  indicesByClass(labels, numClasses).forEach((indices, label) => {
    if (indices.length <= perClass) {
      throw new DatasetError(
        `validation split: class ${label} has ${indices.length} training images, expected more than perClass = ${perClass} (some must stay for training)`,
      );
    }
    if (take === 'first') taken.push(...indices.slice(0, perClass));
    else if (take === 'last') taken.push(...indices.slice(indices.length - perClass));
    else taken.push(...createSeededRandom(deriveSeed(seed, 'class', label)).shuffled(indices).slice(0, perClass));
  });
  taken.sort((a, b) => a - b);
  const isTaken = new Uint8Array(labels.length);
  for (const index of taken) isTaken[index] = 1;
  const kept: number[] = [];
  for (let index = 0; index < labels.length; index++) if (isTaken[index] === 0) kept.push(index);
  return { kept, taken };
}

/**
 * The first `perClass` indices of every class (all of a class that has fewer), ascending: a
 * smaller, still balanced copy of a split for CPU-sized runs.
 */
export function firstPerClass(labels: ArrayLike<number>, numClasses: number, perClass: number): number[] {
  return indicesByClass(labels, numClasses)
    .flatMap((indices) => indices.slice(0, perClass))
    .sort((a, b) => a - b);
}
