import { ascendingOrderInto, createSortWorkspace, type SortWorkspace } from './ascending-order.js';

/**
 * The buffers of {@link projectionLinfInto} for n coordinates, reused across calls: FAB projects
 * two points per sample and step, and allocating seven float64 arrays of 3,072 each time made the
 * garbage collector a visible share of AutoAttack's run. `fromCurrent` and `fromStart` are two
 * output buffers for the caller.
 */
export interface ProjectionWorkspace {
  readonly size: number;
  readonly w: Float64Array;
  readonly a: Float64Array;
  readonly p: Float64Array;
  readonly s: Float64Array;
  readonly sb: Float64Array;
  readonly sort: SortWorkspace;
  readonly fromCurrent: Float64Array;
  readonly fromStart: Float64Array;
}

export function createProjectionWorkspace(size: number): ProjectionWorkspace {
  const buffer = () => new Float64Array(size);
  return { size, w: buffer(), a: buffer(), p: buffer(), s: buffer(), sb: buffer(), sort: createSortWorkspace(size), fromCurrent: buffer(), fromStart: buffer() };
}

/**
 * FAB's box-constrained minimal-L∞ projection onto a hyperplane (Croce and Hein 2020,
 * `fab_projections.py` `projection_linf`, ported row by row; docs/methods/autoattack.md): the smallest-L∞
 * step d with w·(t + d) = b and t + d ∈ [0, 1]^n, found by a sort of the coordinates plus a
 * bisection over how many of them sit on the box. When the hyperplane cannot be reached inside
 * the box, the step goes as far as it can. Pure numbers (float64), no tensors: FAB runs it on
 * read-back rows, and it is unit-tested on hand-made cases.
 *
 * @param point t, a point inside the unit box.
 * @param normal w, the hyperplane's normal.
 * @param offset b, the hyperplane's offset.
 * @returns d, with zeros where w is zero.
 */
export function projectionLinf(point: ArrayLike<number>, normal: ArrayLike<number>, offset: number): Float64Array {
  const workspace = createProjectionWorkspace(point.length);
  return projectionLinfInto(workspace, point, normal, offset, new Float64Array(point.length));
}

/** {@link projectionLinf} with the workspace's buffers, writing d into `d` (length n) and returning it. */
export function projectionLinfInto(workspace: ProjectionWorkspace, t: ArrayLike<number>, normal: ArrayLike<number>, offset: number, d: Float64Array): Float64Array {
  const n = t.length;
  if (workspace.size !== n || d.length !== n || normal.length !== n) {
    throw new RangeError(`projectionLinf: point, normal, output and workspace must have one length, got ${n}, ${normal.length}, ${d.length} and ${workspace.size}`);
  }
  const { w, a, p, s, sb } = workspace;
  let dot = 0;
  for (let i = 0; i < n; i++) dot += normal[i]! * t[i]!;
  // orient the hyperplane so that the point is on its negative side
  const sign = dot - offset >= 0 ? 1 : -1;
  for (let i = 0; i < n; i++) w[i] = normal[i]! * sign;
  let b = offset * sign;
  let wt = 0;
  let b0 = 0;
  for (let i = 0; i < n; i++) {
    a[i] = w[i]! < 0 ? 1 : 0;
    d[i] = w[i] !== 0 ? a[i]! - t[i]! : 0;
    p[i] = a[i]! - t[i]! * (2 * a[i]! - 1);
    wt += w[i]! * t[i]!;
    b0 += w[i]! * d[i]!;
  }
  b -= wt;
  // argsort of p ascending (ties in index order), then walked in reverse
  const order = ascendingOrderInto(p, workspace.sort);
  let cumulativeS = 0;
  let cumulativeB = 0;
  for (let k = 0; k < n; k++) {
    const index = order[n - 1 - k]!;
    cumulativeS += Math.abs(w[index]!);
    cumulativeB += -w[index]! * d[index]!;
    s[k] = cumulativeS;
    sb[k] = cumulativeB + b0;
  }
  const bAll = sb[n - 1]! - s[n - 1]! * p[order[0]!]!;
  const reachesWithAll = b - bAll > 0;
  const bisect = b - b0 > 0 && b - bAll <= 0;
  if (reachesWithAll) {
    const lambda = Math.max((b - sb[n - 1]!) / -s[n - 1]!, 0);
    for (let i = 0; i < n; i++) d[i] = (2 * a[i]! - 1) * lambda;
  } else if (bisect) {
    let lower = 0;
    let upper = n - 1;
    const iterations = Math.ceil(Math.log2(n));
    for (let iteration = 0; iteration < iterations; iteration++) {
      const middle = Math.floor((lower + upper) / 2);
      const current = order[n - 1 - middle]!;
      const bMiddle = sb[middle]! - s[middle]! * p[current]!;
      if (b - bMiddle > 0) lower = middle;
      else upper = middle;
    }
    const lambda = Math.max((b - sb[lower]!) / -s[lower]!, 0);
    for (let i = 0; i < n; i++) d[i] = a[i] === 1 ? Math.min(lambda, d[i]!) : Math.max(-lambda, d[i]!);
  }
  for (let i = 0; i < n; i++) if (w[i] === 0) d[i] = 0;
  return d;
}
