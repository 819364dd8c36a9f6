/** Where a float64's low and high 32-bit words sit in a Uint32Array view (fixed per machine). */
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const low = littleEndian ? 0 : 1;
const high = 1 - low;

/** The buffers of {@link ascendingOrderInto} for n keys, reused across calls. */
export interface SortWorkspace {
  readonly size: number;
  readonly keys: Float64Array;
  readonly words: Uint32Array;
  readonly first: Uint32Array;
  readonly second: Uint32Array;
  readonly count: Uint32Array;
}

export function createSortWorkspace(size: number): SortWorkspace {
  const keys = new Float64Array(size);
  return { size, keys, words: new Uint32Array(keys.buffer), first: new Uint32Array(size), second: new Uint32Array(size), count: new Uint32Array(256) };
}

/**
 * The indices that sort `values` ascending, ties in index order: the stable argsort FAB's
 * projection needs (two sorts of 3,072 keys per sample and step). A least-significant-digit
 * radix sort on the float64 bit patterns, 8 bits per pass, which is stable by construction;
 * a JavaScript comparator sort of the same keys took 3-4 times as long and was FAB's largest
 * single cost. Values must not be NaN; -0 counts as +0.
 */
export function ascendingOrder(values: ArrayLike<number>): Uint32Array {
  return ascendingOrderInto(values, createSortWorkspace(values.length));
}

/** {@link ascendingOrder} in the workspace's buffers: the result is one of them, valid until its next use. */
export function ascendingOrderInto(values: ArrayLike<number>, workspace: SortWorkspace): Uint32Array {
  const n = values.length;
  if (workspace.size !== n) throw new RangeError(`ascendingOrder: ${n} values for a workspace of ${workspace.size}`);
  const { keys, words, count } = workspace;
  // Keys whose unsigned order is the numbers' order: flip every bit of a negative number, only
  // the sign bit of a non-negative one (`+ 0` turns -0 into +0, so the two tie).
  for (let i = 0; i < n; i++) keys[i] = values[i]! + 0;
  for (let i = 0; i < n; i++) {
    const negative = words[2 * i + high]! >>> 31 === 1;
    words[2 * i + high] = negative ? ~words[2 * i + high]! >>> 0 : (words[2 * i + high]! | 0x80000000) >>> 0;
    if (negative) words[2 * i + low] = ~words[2 * i + low]! >>> 0;
  }
  let order = workspace.first;
  let next = workspace.second;
  for (let i = 0; i < n; i++) order[i] = i;
  for (let pass = 0; pass < 8; pass++) {
    const word = pass < 4 ? low : high;
    const shift = (pass % 4) * 8;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(words[2 * order[i]! + word]! >>> shift) & 255]! += 1;
    // a pass where every key has the same digit would copy the order unchanged
    if (count.includes(n)) continue;
    let total = 0;
    for (let digit = 0; digit < 256; digit++) {
      const size = count[digit]!;
      count[digit] = total;
      total += size;
    }
    for (let i = 0; i < n; i++) {
      const index = order[i]!;
      const digit = (words[2 * index + word]! >>> shift) & 255;
      next[count[digit]!] = index;
      count[digit]! += 1;
    }
    [order, next] = [next, order];
  }
  return order;
}
