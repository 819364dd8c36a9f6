import { RobustfairError } from '@robustfair/spec';

/** A file that is not valid safetensors: the message says what and where. */
export class SafetensorsFormatError extends RobustfairError {
  constructor(message: string) {
    super(`invalid safetensors file: ${message}`);
    this.name = 'SafetensorsFormatError';
  }
}

/** One tensor of a safetensors file, its bytes not yet decoded. */
export interface SafetensorsEntry {
  /** As written in the header: `F32`, `F16`, `BF16`, `I64`, … */
  readonly dtype: string;
  readonly shape: readonly number[];
  /** The raw little-endian bytes (a view into the file, not a copy). */
  readonly bytes: Uint8Array;
}

const bytesPerElement: Readonly<Record<string, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1, U16: 2, U32: 4, U64: 8,
};

/** Float dtypes `decodeFloat32` converts. */
export const decodableDtypes: readonly string[] = ['F32', 'F16', 'BF16', 'F64'];

/**
 * Parses the safetensors layout (huggingface/safetensors): an 8-byte little-endian header length
 * N, N bytes of JSON `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__? }`,
 * then the data, offsets relative to its start. Every entry is checked (offsets inside the
 * data, byte length = elements × dtype size) before anything is returned.
 */
export function parseSafetensors(file: Uint8Array): ReadonlyMap<string, SafetensorsEntry> {
  if (file.byteLength < 8) throw new SafetensorsFormatError(`${file.byteLength} bytes, shorter than the 8-byte header length`);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(file.byteLength - 8)) {
    throw new SafetensorsFormatError(`header length ${headerLength} exceeds the ${file.byteLength - 8} bytes after it (truncated file?)`);
  }
  const dataStart = 8 + Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(file.subarray(8, dataStart)));
  } catch (error) {
    throw new SafetensorsFormatError(`header is not UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw new SafetensorsFormatError('header is not a JSON object');
  const dataLength = file.byteLength - dataStart;
  const entries = new Map<string, SafetensorsEntry>();
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = (value ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const size = typeof dtype === 'string' ? bytesPerElement[dtype] : undefined;
    if (size === undefined) throw new SafetensorsFormatError(`'${name}': unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || !shape.every((side) => Number.isSafeInteger(side) && side >= 0)) {
      throw new SafetensorsFormatError(`'${name}': shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(Number.isSafeInteger)) {
      throw new SafetensorsFormatError(`'${name}': data_offsets must be [begin, end], got ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin < 0 || end < begin || end > dataLength) {
      throw new SafetensorsFormatError(`'${name}': data_offsets [${begin}, ${end}] outside the ${dataLength} data bytes (truncated file?)`);
    }
    const elements = (shape as number[]).reduce((product, side) => product * side, 1);
    if (end - begin !== elements * size) {
      throw new SafetensorsFormatError(`'${name}': ${end - begin} bytes for ${dtype} [${shape.join(', ')}], expected ${elements * size}`);
    }
    entries.set(name, { dtype: dtype as string, shape: shape as number[], bytes: file.subarray(dataStart + begin, dataStart + end) });
  }
  return entries;
}

/** IEEE half precision to a JS number (subnormals, infinities and NaN included). */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Decodes a float entry to float32: F32 as is, F16 and BF16 widened exactly, F64 rounded. */
export function decodeFloat32(entry: SafetensorsEntry, name = 'tensor'): Float32Array {
  const { bytes, dtype } = entry;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F32': {
      const values = new Float32Array(bytes.byteLength / 4);
      for (let index = 0; index < values.length; index++) values[index] = view.getFloat32(4 * index, true);
      return values;
    }
    case 'F16': {
      const values = new Float32Array(bytes.byteLength / 2);
      for (let index = 0; index < values.length; index++) values[index] = halfToFloat(view.getUint16(2 * index, true));
      return values;
    }
    case 'BF16': {
      // bfloat16 is the top half of a float32: shift the 16 bits into place.
      const words = new Uint32Array(bytes.byteLength / 2);
      for (let index = 0; index < words.length; index++) words[index] = view.getUint16(2 * index, true) << 16;
      return new Float32Array(words.buffer);
    }
    case 'F64': {
      const values = new Float32Array(bytes.byteLength / 8);
      for (let index = 0; index < values.length; index++) values[index] = view.getFloat64(8 * index, true);
      return values;
    }
    default:
      throw new SafetensorsFormatError(`'${name}': dtype ${dtype} is not a float type (${decodableDtypes.join(', ')})`);
  }
}
