import { describe, expect, it } from 'vitest';
import { ascendingOrder } from './ascending-order.js';

/** The reference: a comparator sort on (value, index). */
const byComparator = (values: Float64Array) => Array.from(values.keys()).sort((left, right) => values[left]! - values[right]! || left - right);

describe(ascendingOrder, () => {
  it('sorts by value with ties in index order (by hand)', () => {
    expect(Array.from(ascendingOrder(Float64Array.from([0.5, 0.1, 0.5, 0, 0.1])))).toEqual([3, 1, 4, 0, 2]);
  });

  it('gives the comparator sort’s order on FAB-like keys: many ties at 0 and 1 and 8-bit levels', () => {
    let state = 12345;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const n of [1, 2, 7, 3072]) {
      const values = Float64Array.from({ length: n }, () => {
        const roll = random();
        if (roll < 0.2) return 0;
        if (roll < 0.3) return 1;
        if (roll < 0.7) return Math.round(random() * 255) / 255;
        return Math.fround(random());
      });
      expect(Array.from(ascendingOrder(values))).toEqual(byComparator(values));
    }
  });

  it('keeps -0 and +0 as one value, in index order', () => {
    expect(Array.from(ascendingOrder(Float64Array.from([0, -0, 0])))).toEqual([0, 1, 2]);
  });

  it('orders negative numbers, infinities and tiny numbers like the comparator sort', () => {
    const values = Float64Array.from([3, -1e-300, -2.5, Number.POSITIVE_INFINITY, 5e-324, -0, -2.5, Number.NEGATIVE_INFINITY, 1, -1]);
    expect(Array.from(ascendingOrder(values))).toEqual(byComparator(values));
    expect(Array.from(ascendingOrder(values))).toEqual([7, 2, 6, 9, 1, 5, 4, 8, 0, 3]);
  });
});
