import type { ClassSignal, ClassStatistics, ClassVector } from '@robustfair/spec';

/** Input of {@link createClassStatistics}. */
export interface ClassStatisticsInput {
  /** 0-based epoch; default 0. */
  readonly epoch?: number;
  /** Default `'train'`. */
  readonly split?: 'train' | 'validation';
  /** Samples per class; its length is the number of classes. */
  readonly count: ClassVector;
  /** Per-class sums, as the loop hands them over (decision 3). */
  readonly sums?: Readonly<Partial<Record<ClassSignal, ClassVector>>>;
  /** Per-class means, turned into sums (mean × count) for convenience in hand-worked tests. */
  readonly means?: Readonly<Partial<Record<ClassSignal, ClassVector>>>;
}

/**
 * Builds `ClassStatistics` for tests. Give each signal either as `sums` or as `means`
 * (multiplied by `count`); giving one signal both ways, or a vector whose length differs from
 * `count`, throws.
 *
 * @example
 * createClassStatistics({ epoch: 0, count: [10, 10, 10], means: { 'robust-error': [0.2, 0.4, 0.6] } });
 */
export function createClassStatistics(input: ClassStatisticsInput): ClassStatistics {
  const { count } = input;
  const sums: Partial<Record<ClassSignal, ClassVector>> = {};
  const add = (signal: ClassSignal, vector: ClassVector, toSum: (value: number, classIndex: number) => number) => {
    if (vector.length !== count.length) {
      throw new RangeError(`createClassStatistics: '${signal}' has ${vector.length} entries but count has ${count.length}`);
    }
    if (sums[signal] !== undefined) {
      throw new RangeError(`createClassStatistics: '${signal}' is given both as sums and as means`);
    }
    sums[signal] = vector.map(toSum);
  };
  for (const [signal, vector] of entries(input.sums)) add(signal, vector, (value) => value);
  for (const [signal, vector] of entries(input.means)) add(signal, vector, (value, classIndex) => value * (count[classIndex] ?? 0));
  return { epoch: input.epoch ?? 0, split: input.split ?? 'train', count: count.slice(), sums };
}

function entries(record: Readonly<Partial<Record<ClassSignal, ClassVector>>> | undefined): [ClassSignal, ClassVector][] {
  if (record === undefined) return [];
  return (Object.entries(record) as [ClassSignal, ClassVector | undefined][]).filter(
    (entry): entry is [ClassSignal, ClassVector] => entry[1] !== undefined,
  );
}
