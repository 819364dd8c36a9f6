import type { EpochLine } from './run-files.js';

/** One per-class knob of an arm over its epochs: `values[i][c]` is class c's value in `epochs[i]`. */
export interface KnobSeries {
  /** Dotted knob name, e.g. `temperature.natural`, `robustWeight`, `epsilon`. */
  readonly knob: string;
  /** 0-based epochs the knob was set for. */
  readonly epochs: readonly number[];
  readonly values: readonly (readonly number[])[];
}

function isClassVector(value: unknown, numClasses: number): value is number[] {
  return Array.isArray(value) && value.length === numClasses && value.every((entry) => typeof entry === 'number');
}

/** The per-class vectors inside one epoch's knobs, by dotted name (nested objects are walked). */
function classVectors(knobs: Readonly<Record<string, unknown>>, numClasses: number, prefix = ''): [string, number[]][] {
  return Object.entries(knobs).flatMap(([key, value]): [string, number[]][] => {
    const name = `${prefix}${key}`;
    if (isClassVector(value, numClasses)) return [[name, value]];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return classVectors(value as Record<string, unknown>, numClasses, `${name}.`);
    return [];
  });
}

/**
 * Every per-class knob an arm's strategy set (ABSLD temperatures, class weights, per-class ε,
 * or any other knob holding one number per class), in the order first seen. Epochs that did not
 * set a knob are left out of that knob's series. Empty for strategies without per-class knobs
 * (`identity`).
 */
export function knobSeries(epochs: readonly EpochLine[], numClasses: number): KnobSeries[] {
  const series = new Map<string, { epochs: number[]; values: number[][] }>();
  for (const line of epochs) {
    for (const [knob, vector] of classVectors(line.knobs, numClasses)) {
      const entry = series.get(knob) ?? { epochs: [], values: [] };
      entry.epochs.push(line.epoch);
      entry.values.push(vector.slice());
      series.set(knob, entry);
    }
  }
  return [...series].map(([knob, entry]) => ({ knob, ...entry }));
}

/** Training accuracy of one epoch from its per-class error sums. */
export interface TrainingPoint {
  /** 0-based. */
  readonly epoch: number;
  /** Σ correct / Σ count over the classes (the evaluation's Avg.). */
  readonly average: number;
  /** The lowest class accuracy, over classes that had samples. */
  readonly worst: number;
}

/**
 * Average and worst-class accuracy per epoch from the epoch statistics: class c's accuracy is
 * 1 − sums[signal][c] / count[c]. The default signal, `robust-error`, is always recorded (the
 * training attack on the training split). Epochs without the signal are left out.
 */
export function trainingCurve(epochs: readonly EpochLine[], signal = 'robust-error'): TrainingPoint[] {
  return epochs.flatMap((line): TrainingPoint[] => {
    const errors = line.statistics.sums[signal];
    const { count } = line.statistics;
    // A diverged epoch's sums are NaN (null in the file): no point rather than a NaN one.
    if (!errors || errors.length !== count.length || !errors.every(Number.isFinite)) return [];
    let samples = 0;
    let wrong = 0;
    let worst = Number.POSITIVE_INFINITY;
    count.forEach((classCount, classIndex) => {
      if (!(classCount > 0)) return;
      const classErrors = errors[classIndex] ?? 0;
      samples += classCount;
      wrong += classErrors;
      worst = Math.min(worst, 1 - classErrors / classCount);
    });
    if (samples === 0) return [];
    return [{ epoch: line.epoch, average: 1 - wrong / samples, worst }];
  });
}
