import type { ClassCounts } from '@robustfair/spec';
import { classAccuracies } from './class-accuracies.js';
import { averageAccuracy } from './average-accuracy.js';
import { nsdOf, type NormalizedStandardDeviationOptions } from './normalized-standard-deviation.js';
import { worstOf, type WorstClass } from './worst-class-accuracy.js';

/** The ABSLD Table-1 numbers of one evaluation (one attack, or the clean pass). */
export interface ClassAccuracySummary {
  /** A_c per class, index = class id. */
  readonly classAccuracy: number[];
  /** Overall accuracy Σ correct / Σ count ("Avg"). */
  readonly average: number;
  /** min_c A_c and its class ("Worst"). */
  readonly worstClass: WorstClass;
  /** std_c(A_c) / mean_c(A_c), population std unless `options.std` says otherwise. */
  readonly nsd: number;
}

/**
 * Class accuracies, Avg, Worst and NSD in one pass. Throws like `classAccuracies` when a class
 * has no samples or the counts are malformed.
 */
export function summarizeClassAccuracy(
  counts: ClassCounts,
  options: NormalizedStandardDeviationOptions = { std: 'population' },
): ClassAccuracySummary {
  const classAccuracy = classAccuracies(counts);
  return {
    classAccuracy,
    average: averageAccuracy(counts),
    worstClass: worstOf(classAccuracy),
    nsd: nsdOf(classAccuracy, options.std),
  };
}
