import { DatasetError } from '@robustfair/spec';

// The CIFAR binary layout, on bytes: no file system, so the browser playground parses a batch
// file the user picked with the same checks the CLI's reader applies to files on disk.

/** Pixel bytes of one CIFAR image: 32·32 red, then green, then blue (CHW). */
export const cifarImageBytes = 32 * 32 * 3;

/** How one CIFAR binary format lays out its records. */
export interface CifarRecordFormat {
  /** Human name used in errors, e.g. `CIFAR-10`. */
  readonly name: string;
  /** Label bytes before the pixels: 1 (CIFAR-10) or 2 (CIFAR-100: coarse, then fine). */
  readonly labelBytes: number;
  /** Which label byte is the label (CIFAR-100: 0 coarse, 1 fine). */
  readonly labelByte: number;
  /** Labels must lie in [0, numClasses). */
  readonly numClasses: number;
}

/** CIFAR-10's records: one label byte (0–9), then the pixels. */
export const cifar10RecordFormat: CifarRecordFormat = { name: 'CIFAR-10', labelBytes: 1, labelByte: 0, numClasses: 10 };

/** Records of one or more files, kept as uint8: pixels CHW image after image, labels apart. */
export interface CifarRecords {
  readonly pixels: Uint8Array;
  readonly labels: Int32Array;
  /** Records per file, in the order read. */
  readonly recordsPerFile: readonly number[];
}

/**
 * The number of whole records in a file of `size` bytes; an empty file or one that is not a
 * whole number of records is an error naming `file` and the record size expected.
 */
export function cifarRecordCount(file: string, size: number, format: CifarRecordFormat): number {
  const recordBytes = format.labelBytes + cifarImageBytes;
  const records = Math.floor(size / recordBytes);
  if (size === 0) throw new DatasetError(`${format.name}: file '${file}' is empty (expected ${recordBytes}-byte records)`);
  if (size % recordBytes !== 0) {
    throw new DatasetError(
      `${format.name}: file '${file}' is ${size} bytes, not a multiple of the ${recordBytes}-byte record ` +
        `(${format.labelBytes} label byte${format.labelBytes > 1 ? 's' : ''} + ${cifarImageBytes} pixel bytes): ` +
        `${records} whole records and ${size % recordBytes} bytes left over. The file is truncated, or not the ${format.name} binary version`,
    );
  }
  return records;
}

/**
 * Copies the `count` records in `bytes` (one file's contents) into `pixels` and `labels` from
 * record `first` on, checking every label; an out-of-range label names the file, record and byte.
 */
export function copyCifarRecords(bytes: Uint8Array, file: string, format: CifarRecordFormat, target: { readonly pixels: Uint8Array; readonly labels: Int32Array; readonly first: number }): void {
  const recordBytes = format.labelBytes + cifarImageBytes;
  const count = bytes.length / recordBytes;
  for (let index = 0; index < count; index++) {
    const offset = index * recordBytes;
    const label = bytes[offset + format.labelByte] as number;
    if (label >= format.numClasses) {
      throw new DatasetError(
        `${format.name}: file '${file}', record ${index} (byte ${offset + format.labelByte}): label ${label} is out of range, expected 0–${format.numClasses - 1}`,
      );
    }
    target.labels[target.first + index] = label;
    target.pixels.set(bytes.subarray(offset + format.labelBytes, offset + recordBytes), (target.first + index) * cifarImageBytes);
  }
}

/**
 * Parses one CIFAR binary-version file already in memory (e.g. `test_batch.bin` picked in a
 * browser): the records as uint8 pixels (CHW) and labels. `file` names the file in errors.
 *
 * @example
 * const records = parseCifarRecords(new Uint8Array(await picked.arrayBuffer()), picked.name, cifar10RecordFormat);
 */
export function parseCifarRecords(bytes: Uint8Array, file: string, format: CifarRecordFormat): CifarRecords {
  const count = cifarRecordCount(file, bytes.length, format);
  const pixels = new Uint8Array(count * cifarImageBytes);
  const labels = new Int32Array(count);
  copyCifarRecords(bytes, file, format, { pixels, labels, first: 0 });
  return { pixels, labels, recordsPerFile: [count] };
}
