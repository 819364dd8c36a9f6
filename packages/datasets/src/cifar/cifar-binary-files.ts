import { readFileSync, statSync } from 'node:fs';
import { DatasetError } from '@robustfair/spec';

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

/** Records of one or more files, kept as uint8: pixels CHW image after image, labels apart. */
export interface CifarRecords {
  readonly pixels: Uint8Array;
  readonly labels: Int32Array;
  /** Records per file, in the order read. */
  readonly recordsPerFile: readonly number[];
}

function fileSize(file: string, format: CifarRecordFormat): number {
  let stats;
  try {
    stats = statSync(file);
  } catch {
    throw new DatasetError(`${format.name}: file '${file}' not found (expected a ${format.name} binary-version file there)`);
  }
  if (!stats.isFile()) throw new DatasetError(`${format.name}: '${file}' is not a file (expected a ${format.name} binary-version file)`);
  return stats.size;
}

/**
 * Reads CIFAR binary-version files (records of `labelBytes` label bytes then 3072 pixel bytes,
 * no header) into one uint8 pixel array and one label array. Sizes are checked before anything
 * is allocated, and each file is read, checked and copied in turn, so peak memory is the result
 * plus one file. Every error names the file and what was expected.
 *
 * With `sameCount`, every file must hold as many records as the longest (CIFAR-10's six files
 * hold 10,000 each), so a file cut at a record boundary is still reported as truncated.
 */
export function readCifarRecords(files: readonly string[], format: CifarRecordFormat, { sameCount = false } = {}): CifarRecords {
  const recordBytes = format.labelBytes + cifarImageBytes;
  const sizes = files.map((file) => fileSize(file, format));
  const longest = Math.max(...sizes.map((size) => Math.floor(size / recordBytes)));
  const recordsPerFile = files.map((file, position) => {
    const size = sizes[position] as number;
    const records = Math.floor(size / recordBytes);
    const expected = sameCount ? longest : undefined;
    if (size === 0) throw new DatasetError(`${format.name}: file '${file}' is empty (expected ${recordBytes}-byte records)`);
    if (size % recordBytes !== 0) {
      throw new DatasetError(
        `${format.name}: file '${file}' is ${size} bytes, not a multiple of the ${recordBytes}-byte record ` +
          `(${format.labelBytes} label byte${format.labelBytes > 1 ? 's' : ''} + ${cifarImageBytes} pixel bytes): ` +
          `${records} whole records and ${size % recordBytes} bytes left over. The file is truncated, or not the ${format.name} binary version`,
      );
    }
    if (expected !== undefined && records !== expected) {
      throw new DatasetError(
        `${format.name}: file '${file}' holds ${records} records (${size} bytes), expected ${expected} (${expected * recordBytes} bytes)` +
          `, as many as the other files: the file is truncated`,
      );
    }
    return records;
  });
  const total = recordsPerFile.reduce((sum, count) => sum + count, 0);
  const pixels = new Uint8Array(total * cifarImageBytes);
  const labels = new Int32Array(total);
  let record = 0;
  files.forEach((file, position) => {
    const bytes = readFileSync(file);
    const count = recordsPerFile[position] as number;
    if (bytes.length !== count * recordBytes) {
      throw new DatasetError(`${format.name}: file '${file}' changed size while being read (expected ${count * recordBytes} bytes, read ${bytes.length})`);
    }
    for (let index = 0; index < count; index++, record++) {
      const offset = index * recordBytes;
      const label = bytes[offset + format.labelByte] as number;
      if (label >= format.numClasses) {
        throw new DatasetError(
          `${format.name}: file '${file}', record ${index} (byte ${offset + format.labelByte}): label ${label} is out of range, expected 0–${format.numClasses - 1}`,
        );
      }
      labels[record] = label;
      pixels.set(bytes.subarray(offset + format.labelBytes, offset + recordBytes), record * cifarImageBytes);
    }
  });
  return { pixels, labels, recordsPerFile };
}

/**
 * Class names from a names file (one per line, blank lines ignored), or undefined when the file
 * does not exist. A file with the wrong number of names is an error rather than silently ignored.
 */
export function readClassNamesFile(file: string, numClasses: number, name: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const names = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (names.length !== numClasses) {
    throw new DatasetError(`${name}: '${file}' lists ${names.length} class names, expected ${numClasses} (one per line)`);
  }
  return names;
}
