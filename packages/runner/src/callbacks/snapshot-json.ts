import type { JsonValue, WeightSnapshot } from '@robustfair/spec';

// Weight snapshots inside a callback's checkpoint state (JSON): each array as base64 of its
// float32 bytes, so a resumed arm continues with exactly the weights it had.

export function snapshotToJson(snapshot: WeightSnapshot): JsonValue {
  return snapshot.map((values) => Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64'));
}

/** Reads {@link snapshotToJson} back; throws naming `what` when the value is not one. */
export function snapshotFromJson(value: unknown, what: string): Float32Array[] {
  if (!Array.isArray(value)) throw new Error(`${what}: expected an array of base64 strings`);
  return value.map((item, index) => {
    if (typeof item !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(item)) throw new Error(`${what}[${index}]: expected a base64 string`);
    const bytes = Buffer.from(item, 'base64');
    if (bytes.byteLength % 4 !== 0) throw new Error(`${what}[${index}]: ${bytes.byteLength} bytes is not a whole number of float32 values`);
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  });
}
