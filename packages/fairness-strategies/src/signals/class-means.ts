import type { ClassSignal, ClassStatistics, ClassVector } from '@robustfair/spec';
import { MissingSignalError } from './missing-signal-error.js';

/**
 * The per-class SUMS of `signal` (decision 3: statistics carry sums and counts). Throws
 * MissingSignalError naming the signal and `strategyId` when the signal is absent, or when its
 * vector's length differs from `statistics.count`.
 */
export function requireSignal(statistics: ClassStatistics, signal: ClassSignal, strategyId: string): ClassVector {
  const sums = statistics.sums[signal];
  if (sums === undefined) {
    const present = Object.keys(statistics.sums);
    const listed = present.length === 0 ? '(none)' : present.map((name) => `'${name}'`).join(', ');
    throw new MissingSignalError(
      strategyId,
      signal,
      `the epoch-${statistics.epoch} statistics carry only ${listed}; list it in requires.signals`,
    );
  }
  if (sums.length !== statistics.count.length) {
    throw new MissingSignalError(
      strategyId,
      signal,
      `its sums have ${sums.length} entries but count has ${statistics.count.length}`,
    );
  }
  return sums;
}

/**
 * Per-class means of `signal`: sum / count for each class.
 *
 * A class with count 0 (absent from the epoch, e.g. a small validation split) gets the
 * unweighted mean of the means of the classes that do have samples, so it sits exactly at the
 * average and a strategy treats it as neither easy nor hard. Throws when no class has samples,
 * since then no mean exists, and (through {@link requireSignal}) when the signal is missing.
 */
export function classMeans(statistics: ClassStatistics, signal: ClassSignal, strategyId: string): number[] {
  const sums = requireSignal(statistics, signal, strategyId);
  const means = statistics.count.map((count, classIndex) => (count > 0 ? (sums[classIndex] ?? 0) / count : undefined));
  const observed = means.filter((mean): mean is number => mean !== undefined);
  if (observed.length === 0) {
    throw new MissingSignalError(strategyId, signal, `no class has samples in the epoch-${statistics.epoch} statistics`);
  }
  const fill = observed.reduce((total, mean) => total + mean, 0) / observed.length;
  return means.map((mean) => mean ?? fill);
}
