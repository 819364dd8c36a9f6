import { describe, expect, it } from 'vitest';
import { decodeFloat32, halfToFloat, hasNonFiniteValue, maximumSafetensorsHeaderBytes, parseSafetensors, SafetensorsFormatError } from './safetensors.js';

/** A file with one tensor, header and bytes given literally. */
function file(header: object, data: readonly number[], headerLengthOverride?: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(headerLengthOverride ?? json.length), true);
  bytes.set(json, 8);
  bytes.set(data, 8 + json.length);
  return bytes;
}

describe(parseSafetensors, () => {
  it('reads F32, F16 and BF16 little-endian data at their offsets', () => {
    // F32 1.5 = 0x3FC00000; F16: 1 = 0x3C00, −2 = 0xC000, 0.5 = 0x3800, 65504 = 0x7BFF, 2^−24 = 0x0001;
    // BF16 1 = 0x3F80, −0.15625 = 0xBE20 (float32 0xBE200000).
    const parsed = parseSafetensors(
      file(
        {
          __metadata__: { format: 'pt' },
          a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
          b: { dtype: 'F16', shape: [5], data_offsets: [4, 14] },
          c: { dtype: 'BF16', shape: [2], data_offsets: [14, 18] },
        },
        [0x00, 0x00, 0xc0, 0x3f, 0x00, 0x3c, 0x00, 0xc0, 0x00, 0x38, 0xff, 0x7b, 0x01, 0x00, 0x80, 0x3f, 0x20, 0xbe],
      ),
    );
    expect([...parsed.keys()]).toEqual(['a', 'b', 'c']);
    expect(Array.from(decodeFloat32(parsed.get('a')!))).toEqual([1.5]);
    expect(Array.from(decodeFloat32(parsed.get('b')!))).toEqual([1, -2, 0.5, 65504, 2 ** -24]);
    expect(Array.from(decodeFloat32(parsed.get('c')!))).toEqual([1, -0.15625]);
    expect(parsed.get('b')!.shape).toEqual([5]);
  });

  it('converts half-precision specials', () => {
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
    expect(halfToFloat(0x8000)).toBe(-0);
    expect(halfToFloat(0x03ff)).toBe(1023 * 2 ** -24); // largest subnormal
  });

  it('names the problem in a truncated or malformed file', () => {
    expect(() => parseSafetensors(new Uint8Array(3))).toThrow(SafetensorsFormatError);
    expect(() => parseSafetensors(file({}, [], 1000))).toThrow(/header length 1000 exceeds/);
    expect(() => parseSafetensors(file({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, [0, 0, 0, 0]))).toThrow(/'a': data_offsets \[0, 8\] outside the 4 data bytes/);
    expect(() => parseSafetensors(file({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, [0, 0, 0, 0]))).toThrow(/'a': 4 bytes for F32 \[2\], expected 8/);
    expect(() => parseSafetensors(file({ a: { dtype: 'Q4', shape: [1], data_offsets: [0, 1] } }, [0]))).toThrow(/unknown dtype "Q4"/);
    expect(() => decodeFloat32({ dtype: 'I64', shape: [], bytes: new Uint8Array(8) }, 'steps')).toThrow(/'steps': dtype I64 is not a float type/);
  });

  // Issue 13 item 9: offsets must tile the data section exactly, and errors name the file.
  it('refuses overlapping tensors, gaps and trailing bytes, naming the file', () => {
    const f32 = (begin: number, end: number, elements = (end - begin) / 4) => ({ dtype: 'F32', shape: [elements], data_offsets: [begin, end] });
    const eight = [0, 0, 0, 0, 0, 0, 0, 0];
    expect(() => parseSafetensors(file({ a: f32(0, 8), b: f32(4, 8) }, eight), 'teacher.safetensors')).toThrow(
      /^teacher\.safetensors: invalid safetensors file: 'b': data_offsets \[4, 8\] overlap 'a', which ends at 8$/,
    );
    expect(() => parseSafetensors(file({ a: f32(0, 4), b: f32(4, 8) }, [...eight, 0, 0, 0, 0]))).toThrow(/tensors end at byte 8 of the data, but the file holds 12/);
    expect(() => parseSafetensors(file({ a: f32(4, 8) }, eight))).toThrow(/'a': data_offsets \[4, 8\] leave a gap after '\(start of the data\)'/);
    // Two names on the same bytes (aliasing) is an overlap too.
    expect(() => parseSafetensors(file({ a: f32(0, 8), b: f32(0, 8) }, eight))).toThrow(/overlap/);
    // Zero-size tensors anywhere are fine, and so is an exact tiling in any header order.
    expect([...parseSafetensors(file({ b: f32(4, 8), empty: f32(4, 4), a: f32(0, 4) }, eight)).keys()]).toEqual(['b', 'empty', 'a']);
  });

  it('refuses a header length beyond the limit before looking at the rest', () => {
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(maximumSafetensorsHeaderBytes) + 1n, true);
    expect(() => parseSafetensors(bytes, 'x.safetensors')).toThrow(`x.safetensors: invalid safetensors file: header length ${maximumSafetensorsHeaderBytes + 1} exceeds the limit of 100000000 bytes`);
    expect(() => parseSafetensors(file({ a: { dtype: 'F32', shape: [1, 1, 1, 1, 1, 1, 1, 1, 1], data_offsets: [0, 4] } }, [0, 0, 0, 0]))).toThrow(/at most 8 non-negative integers/);
    expect(() => parseSafetensors(file({ a: { dtype: 'toString', shape: [1], data_offsets: [0, 4] } }, [0, 0, 0, 0]))).toThrow(/unknown dtype "toString"/);
  });

  it('finds values that are not finite as float32', () => {
    const f32 = (value: number) => new Uint8Array(new Float32Array([1, value]).buffer);
    expect(hasNonFiniteValue({ dtype: 'F32', shape: [2], bytes: f32(2) })).toBe(false);
    expect(hasNonFiniteValue({ dtype: 'F32', shape: [2], bytes: f32(Number.NaN) })).toBe(true);
    expect(hasNonFiniteValue({ dtype: 'F16', shape: [1], bytes: new Uint8Array([0x00, 0x7c]) })).toBe(true); // +inf
    // Finite as F64, infinite once rounded to float32.
    expect(hasNonFiniteValue({ dtype: 'F64', shape: [1], bytes: new Uint8Array(new Float64Array([1e300]).buffer) })).toBe(true);
  });
});
