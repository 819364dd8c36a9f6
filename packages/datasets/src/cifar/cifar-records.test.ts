import { DatasetError } from '@robustfair/spec';
import { describe, expect, it } from 'vitest';
import { cifar10RecordFormat, cifarImageBytes, parseCifarRecords } from './cifar-records.js';

/** A CIFAR-10 record: the label byte, then 3072 pixel bytes all equal to `fill`. */
const record = (label: number, fill: number) => Uint8Array.from([label, ...new Uint8Array(cifarImageBytes).fill(fill)]);

describe('parseCifarRecords (bytes already in memory, as a browser reads a picked file)', () => {
  it('splits records into labels and CHW pixels', () => {
    const bytes = new Uint8Array([...record(3, 7), ...record(9, 200)]);
    const records = parseCifarRecords(bytes, 'test_batch.bin', cifar10RecordFormat);
    expect([...records.labels]).toEqual([3, 9]);
    expect(records.recordsPerFile).toEqual([2]);
    expect(records.pixels.length).toBe(2 * cifarImageBytes);
    expect(records.pixels[0]).toBe(7);
    expect(records.pixels[cifarImageBytes]).toBe(200);
  });

  it('names the file and the record size when the bytes are not whole records', () => {
    const bytes = new Uint8Array([...record(1, 0), 5, 5]);
    expect(() => parseCifarRecords(bytes, 'picked.bin', cifar10RecordFormat)).toThrow(DatasetError);
    expect(() => parseCifarRecords(bytes, 'picked.bin', cifar10RecordFormat)).toThrow(
      "CIFAR-10: file 'picked.bin' is 3075 bytes, not a multiple of the 3073-byte record (1 label byte + 3072 pixel bytes): 1 whole records and 2 bytes left over",
    );
    expect(() => parseCifarRecords(new Uint8Array(0), 'empty.bin', cifar10RecordFormat)).toThrow("CIFAR-10: file 'empty.bin' is empty (expected 3073-byte records)");
  });

  it('names the record and byte of a label out of range', () => {
    const bytes = new Uint8Array([...record(1, 0), ...record(10, 0)]);
    expect(() => parseCifarRecords(bytes, 'picked.bin', cifar10RecordFormat)).toThrow("CIFAR-10: file 'picked.bin', record 1 (byte 3073): label 10 is out of range, expected 0–9");
  });
});
