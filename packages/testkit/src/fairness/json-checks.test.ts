import { describe, expect, it } from 'vitest';
import { assertJsonValue, deepFreeze, jsonRoundTrip } from './json-checks.js';

describe(assertJsonValue, () => {
  it('accepts nested plain JSON', () => {
    expect(() => assertJsonValue({ weights: [1, 0.5], rate: null, tag: 'x', on: true })).not.toThrow();
  });

  it.each([
    [{ weights: [1, Number.NaN] }, /\$\.weights\[1\] is NaN/],
    [{ rate: Number.POSITIVE_INFINITY }, /\$\.rate is Infinity/],
    [{ rate: undefined }, /\$\.rate is undefined/],
    [{ weights: new Float32Array(2) }, /\$\.weights is a Float32Array/],
    [{ seen: new Map() }, /\$\.seen is a Map/],
  ])('rejects %o, naming the path', (value, message) => {
    expect(() => assertJsonValue(value)).toThrow(message);
  });
});

describe(deepFreeze, () => {
  it('freezes nested arrays so mutation throws', () => {
    const value = deepFreeze({ sums: { 'robust-error': [1, 2] } });
    expect(() => {
      (value.sums['robust-error'] as number[])[0] = 3;
    }).toThrow(TypeError);
  });
});

describe(jsonRoundTrip, () => {
  it('drops what JSON cannot hold', () => {
    expect(jsonRoundTrip({ a: [Number.NaN] })).toEqual({ a: [null] });
  });
});
