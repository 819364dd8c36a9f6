/** A statistic over an arm's seeds: the mean, the sample standard deviation and how many values. */
export interface MeanAndDeviation {
  readonly mean: number;
  /** Sample standard deviation (divisor n − 1); NaN with a single value. */
  readonly std: number;
  readonly count: number;
}

/**
 * Mean ± sample standard deviation (n − 1) of per-seed values, as papers report seeds. A
 * non-finite value (an undefined NSD) makes both NaN rather than being silently dropped.
 */
export function meanAndDeviation(values: readonly number[]): MeanAndDeviation {
  const count = values.length;
  if (count === 0 || values.some((value) => !Number.isFinite(value))) return { mean: Number.NaN, std: Number.NaN, count };
  const mean = values.reduce((total, value) => total + value, 0) / count;
  if (count === 1) return { mean, std: Number.NaN, count };
  const squares = values.reduce((total, value) => total + (value - mean) ** 2, 0);
  return { mean, std: Math.sqrt(squares / (count - 1)), count };
}
