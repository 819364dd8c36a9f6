/**
 * The q-quantile of sorted values by linear interpolation between order statistics (numpy's
 * default `linear` method, Hyndman-Fan type 7): position h = (n − 1)·q, value
 * x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋ + 1] − x[⌊h⌋]).
 *
 * @param sorted values in increasing order, at least one.
 */
export function quantileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty list');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const low = sorted[below] ?? Number.NaN;
  return low + (position - below) * ((sorted[above] ?? low) - low);
}
