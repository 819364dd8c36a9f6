import { readFileSync, statSync } from 'node:fs';
import { DatasetError } from '@robustfair/spec';
import { cifarImageBytes, cifarRecordCount, copyCifarRecords, type CifarRecordFormat, type CifarRecords } from './cifar-records.js';

export type { CifarRecordFormat, CifarRecords };

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
    const records = cifarRecordCount(file, size, format);
    const expected = sameCount ? longest : undefined;
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
  let first = 0;
  files.forEach((file, position) => {
    const bytes = readFileSync(file);
    const count = recordsPerFile[position] as number;
    if (bytes.length !== count * recordBytes) {
      throw new DatasetError(`${format.name}: file '${file}' changed size while being read (expected ${count * recordBytes} bytes, read ${bytes.length})`);
    }
    copyCifarRecords(bytes, file, format, { pixels, labels, first });
    first += count;
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
