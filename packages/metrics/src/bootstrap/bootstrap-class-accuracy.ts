import type { ClassCounts } from '@robustfair/spec';
import { classAccuracies } from '../accuracy/class-accuracies.js';
import { worstOf } from '../accuracy/worst-class-accuracy.js';
import { quantileOfSorted } from './quantile.js';
import { createSeededUniform } from './seeded-uniform.js';

/** Options of the class-accuracy bootstrap. */
export interface BootstrapOptions {
  /** Number of bootstrap resamples (default 1000). */
  readonly resamples?: number;
  /** Coverage of the percentile interval (default 0.95). */
  readonly confidence?: number;
  /** Seeds the resampling; the same seed and counts give the same interval. */
  readonly seed: number;
}

/** A percentile bootstrap interval around a statistic of the class accuracies. */
export interface ConfidenceInterval {
  /** The statistic on the observed counts. */
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
  readonly confidence: number;
  readonly resamples: number;
}

/**
 * Bootstrap distribution of a statistic of the class accuracies, stratified by class: each
 * resample redraws every class's n_c test samples with replacement from that class, so class
 * sizes stay fixed (a test set's class sizes are part of its design) and no class can vanish.
 * Redrawing n_c samples of which k_c are correct makes the number correct Binomial(n_c, k_c/n_c),
 * which is what is simulated here. Returns the resampled statistic values, sorted.
 * Throws like `classAccuracies` when a class has no samples.
 */
export function bootstrapClassAccuracyDistribution(
  counts: ClassCounts,
  statistic: (accuracies: readonly number[]) => number,
  options: BootstrapOptions,
): number[] {
  const observed = classAccuracies(counts);
  const resamples = options.resamples ?? 1000;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`bootstrap: resamples must be an integer ≥ 1, got ${resamples}`);
  const uniform = createSeededUniform(options.seed);
  const values: number[] = [];
  for (let resample = 0; resample < resamples; resample++) {
    const accuracies = observed.map((accuracy, classIndex) => {
      const size = counts.count[classIndex] ?? 0;
      let correct = 0;
      for (let draw = 0; draw < size; draw++) if (uniform() < accuracy) correct += 1;
      return correct / size;
    });
    values.push(statistic(accuracies));
  }
  return values.sort((left, right) => left - right);
}

/**
 * Percentile bootstrap interval of a statistic of the class accuracies (see
 * {@link bootstrapClassAccuracyDistribution}): the (1 − confidence)/2 and (1 + confidence)/2
 * quantiles of the resampled values, by linear interpolation (numpy's default).
 */
export function bootstrapClassAccuracyInterval(
  counts: ClassCounts,
  statistic: (accuracies: readonly number[]) => number,
  options: BootstrapOptions,
): ConfidenceInterval {
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`bootstrap: confidence must be in (0, 1), got ${confidence}`);
  const values = bootstrapClassAccuracyDistribution(counts, statistic, options);
  return {
    estimate: statistic(classAccuracies(counts)),
    lower: quantileOfSorted(values, (1 - confidence) / 2),
    upper: quantileOfSorted(values, (1 + confidence) / 2),
    confidence,
    resamples: values.length,
  };
}

/**
 * Bootstrap confidence interval of the worst-class accuracy min_c A_c ("Worst", docs/methods/evaluation.md).
 * The minimum of noisy class accuracies is biased low on small classes; the interval shows how
 * much of a worst-class difference between methods the test set can resolve.
 *
 * @example
 * bootstrapWorstClassInterval({ numClasses: 2, count: [100, 50], correct: [80, 20] }, { seed: 0 });
 */
export function bootstrapWorstClassInterval(counts: ClassCounts, options: BootstrapOptions): ConfidenceInterval {
  return bootstrapClassAccuracyInterval(counts, (accuracies) => worstOf(accuracies).accuracy, options);
}
