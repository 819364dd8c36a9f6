import { RobustfairError } from '@robustfair/spec';

/** A file that is not valid safetensors: the message names the file (when known), says what and where. */
export class SafetensorsFormatError extends RobustfairError {
  constructor(message: string, source?: string) {
    super(`${source === undefined ? '' : `${source}: `}invalid safetensors file: ${message}`);
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

/** Where a tensor lies in the data section (after the header), as checked by `parseSafetensorsHeader`. */
export interface SafetensorsSlot {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

const bytesPerElement: Readonly<Record<string, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1, U16: 2, U32: 4, U64: 8,
};

/** Float dtypes `decodeFloat32` converts. */
export const decodableDtypes: readonly string[] = ['F32', 'F16', 'BF16', 'F64'];

/**
 * The largest header accepted, in bytes: the reference implementation's own limit
 * (huggingface/safetensors `MAX_HEADER_SIZE`), so a hostile length cannot make us allocate more.
 */
export const maximumSafetensorsHeaderBytes = 100_000_000;

/** Dimensions a tensor may have: more is no real checkpoint, and bounds the shape arithmetic. */
const maximumRank = 8;

/**
 * The header length of a safetensors file from its first 8 bytes, checked against the limit and
 * against the `fileSize` before anything else is read.
 */
export function safetensorsHeaderLength(first: Uint8Array, fileSize: number, source?: string): number {
  if (first.byteLength < 8 || fileSize < 8) throw new SafetensorsFormatError(`${Math.min(fileSize, first.byteLength)} bytes, shorter than the 8-byte header length`, source);
  const headerLength = new DataView(first.buffer, first.byteOffset, 8).getBigUint64(0, true);
  if (headerLength > BigInt(maximumSafetensorsHeaderBytes)) {
    throw new SafetensorsFormatError(`header length ${headerLength} exceeds the limit of ${maximumSafetensorsHeaderBytes} bytes`, source);
  }
  if (headerLength > BigInt(fileSize - 8)) {
    throw new SafetensorsFormatError(`header length ${headerLength} exceeds the ${fileSize - 8} bytes after it (truncated file?)`, source);
  }
  return Number(headerLength);
}

/**
 * Parses and checks a safetensors header (the JSON after the 8-byte length) against the size
 * of the data section that follows it, before any data is read: every entry has a known dtype,
 * a shape of non-negative integers, and `data_offsets` whose length is elements × dtype size;
 * the tensors lie back to back from 0 to the end of the data, with no overlap and no gap (as the
 * reference implementation requires).
 */
export function parseSafetensorsHeader(header: Uint8Array, dataLength: number, source?: string): ReadonlyMap<string, SafetensorsSlot> {
  const fail = (message: string) => new SafetensorsFormatError(message, source);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(header));
  } catch (error) {
    throw fail(`header is not UTF-8 JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw fail('header is not a JSON object');
  const slots = new Map<string, SafetensorsSlot>();
  for (const [name, value] of Object.entries(parsed)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = (typeof value === 'object' && value !== null ? value : {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const size = typeof dtype === 'string' && Object.hasOwn(bytesPerElement, dtype) ? bytesPerElement[dtype] : undefined;
    if (size === undefined) throw fail(`'${name}': unknown dtype ${JSON.stringify(dtype)}`);
    if (!Array.isArray(shape) || shape.length > maximumRank || !shape.every((side) => Number.isSafeInteger(side) && side >= 0)) {
      throw fail(`'${name}': shape must be an array of at most ${maximumRank} non-negative integers, got ${JSON.stringify(shape)}`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(Number.isSafeInteger)) {
      throw fail(`'${name}': data_offsets must be [begin, end], got ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin < 0 || end < begin || end > dataLength) {
      throw fail(`'${name}': data_offsets [${begin}, ${end}] outside the ${dataLength} data bytes (truncated file?)`);
    }
    const elements = (shape as number[]).reduce((product, side) => product * side, 1);
    if (end - begin !== elements * size) {
      throw fail(`'${name}': ${end - begin} bytes for ${dtype} [${shape.join(', ')}], expected ${elements * size}`);
    }
    slots.set(name, { dtype: dtype as string, shape: shape as number[], begin, end });
  }
  // Back to back: sorted by begin, each starts where the previous ended, the last ends the data.
  let next = 0;
  let previous = '(start of the data)';
  for (const [name, slot] of [...slots].sort(([, first], [, second]) => first.begin - second.begin || first.end - second.end)) {
    if (slot.begin < next) throw fail(`'${name}': data_offsets [${slot.begin}, ${slot.end}] overlap '${previous}', which ends at ${next}`);
    if (slot.begin > next) throw fail(`'${name}': data_offsets [${slot.begin}, ${slot.end}] leave a gap after '${previous}', which ends at ${next}`);
    next = slot.end;
    previous = name;
  }
  if (next !== dataLength) throw fail(`the tensors end at byte ${next} of the data, but the file holds ${dataLength} data bytes after the header`);
  return slots;
}

/**
 * Parses the safetensors layout (huggingface/safetensors): an 8-byte little-endian header length
 * N, N bytes of JSON `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__? }`,
 * then the data, offsets relative to its start. Every entry is checked (`parseSafetensorsHeader`)
 * before anything is returned; `source` (the file name) prefixes every error.
 */
export function parseSafetensors(file: Uint8Array, source?: string): ReadonlyMap<string, SafetensorsEntry> {
  const headerLength = safetensorsHeaderLength(file, file.byteLength, source);
  const dataStart = 8 + headerLength;
  const slots = parseSafetensorsHeader(file.subarray(8, dataStart), file.byteLength - dataStart, source);
  const entries = new Map<string, SafetensorsEntry>();
  for (const [name, { dtype, shape, begin, end }] of slots) entries.set(name, { dtype, shape, bytes: file.subarray(dataStart + begin, dataStart + end) });
  return entries;
}

/** True when an entry holds a value that is not finite as float32 (NaN, ±infinity, or an F64 beyond float32's range). */
export function hasNonFiniteValue(entry: SafetensorsEntry, name = 'tensor'): boolean {
  return !decodeFloat32(entry, name).every(Number.isFinite);
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
