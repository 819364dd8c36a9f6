import { mkdtempSync, rmSync, truncateSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatasetError } from '@robustfair/spec';
import { cifarFixtureByte, writeCifar100Fixture, writeCifar10Fixture } from '@robustfair/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { readCifar100Directory, readCifar10Directory } from './cifar-directories.js';

const names = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
const trainLabels = Array.from({ length: 20 }, (_, index) => index % 10); // 4 records in each of the 5 files
const testLabels = [3, 1, 4, 1];

const directories: string[] = [];
const fresh = () => {
  const directory = mkdtempSync(join(tmpdir(), 'robustfair-cifar-'));
  directories.push(directory);
  return directory;
};
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const cifar10 = (withClassNames = true) => {
  const directory = fresh();
  writeCifar10Fixture(directory, { trainLabels, testLabels, ...(withClassNames && { classNames: names }) });
  return directory;
};

/** Overwrites one byte of a file. */
const poke = (file: string, offset: number, value: number) => {
  const handle = openSync(file, 'r+');
  writeSync(handle, Uint8Array.of(value), 0, 1, offset);
  closeSync(handle);
};

describe(readCifar10Directory, () => {
  it('reads the five training files in order, the test file, and the class names', () => {
    const data = readCifar10Directory(cifar10());
    expect(Array.from(data.train.labels)).toEqual(trainLabels);
    expect(Array.from(data.test.labels)).toEqual(testLabels);
    expect(data.train.recordsPerFile).toEqual([4, 4, 4, 4, 4]);
    expect(data.classNames).toEqual(names);
    // Record 13 (third record of data_batch_4): its pixels follow the label byte, red plane first.
    expect(data.train.pixels.length).toBe(20 * 3072);
    expect(data.train.pixels[13 * 3072]).toBe(cifarFixtureByte('train', 13, 0, 0));
    expect(data.train.pixels[13 * 3072 + 1024 + 5]).toBe(cifarFixtureByte('train', 13, 1, 5));
    expect(data.test.pixels[2 * 3072 + 2048 + 1023]).toBe(cifarFixtureByte('test', 2, 2, 1023));
  });

  it('keeps the records as uint8 (one byte per value, not four)', () => {
    const data = readCifar10Directory(cifar10());
    expect(data.train.pixels).toBeInstanceOf(Uint8Array);
    expect(data.train.pixels.byteLength).toBe(20 * 3072);
  });

  it('has no class names without batches.meta.txt', () => {
    expect(readCifar10Directory(cifar10(false)).classNames).toBeUndefined();
  });

  describe('names the file and what was expected', () => {
    it('for a missing directory', () => {
      const missing = join(fresh(), 'nowhere');
      expect(() => readCifar10Directory(missing)).toThrow(DatasetError);
      expect(() => readCifar10Directory(missing)).toThrow(/CIFAR-10: directory '.*nowhere' not found \(expected it to hold data_batch_1\.bin, .*test_batch\.bin/);
    });

    it('for a missing file', () => {
      const directory = cifar10();
      rmSync(join(directory, 'data_batch_3.bin'));
      expect(() => readCifar10Directory(directory)).toThrow(/file '.*data_batch_3\.bin' not found/);
    });

    it('for a size that is not a whole number of 3073-byte records', () => {
      const directory = cifar10();
      truncateSync(join(directory, 'data_batch_2.bin'), 4 * 3073 - 100); // 12192 = 3 · 3073 + 2973
      expect(() => readCifar10Directory(directory)).toThrow(
        /data_batch_2\.bin' is 12192 bytes, not a multiple of the 3073-byte record \(1 label byte \+ 3072 pixel bytes\): 3 whole records and 2973 bytes left over/,
      );
    });

    it('for a file cut at a record boundary (fewer records than the others)', () => {
      const directory = cifar10();
      truncateSync(join(directory, 'test_batch.bin'), 3 * 3073);
      expect(() => readCifar10Directory(directory)).toThrow(/test_batch\.bin' holds 3 records \(9219 bytes\), expected 4 \(12292 bytes\).*truncated/);
    });

    it('for an empty file', () => {
      const directory = cifar10();
      writeFileSync(join(directory, 'data_batch_1.bin'), '');
      expect(() => readCifar10Directory(directory)).toThrow(/data_batch_1\.bin' is empty/);
    });

    it('for a label out of range, with the record and byte', () => {
      const directory = cifar10();
      poke(join(directory, 'data_batch_5.bin'), 2 * 3073, 10);
      expect(() => readCifar10Directory(directory)).toThrow(/data_batch_5\.bin', record 2 \(byte 6146\): label 10 is out of range, expected 0–9/);
    });

    it('for a class-names file with the wrong number of names', () => {
      const directory = cifar10();
      writeFileSync(join(directory, 'batches.meta.txt'), names.slice(0, 9).join('\n'));
      expect(() => readCifar10Directory(directory)).toThrow(/batches\.meta\.txt' lists 9 class names, expected 10/);
    });
  });
});

describe(readCifar100Directory, () => {
  const pairs = (count: number) => Array.from({ length: count }, (_, index) => [index % 20, (index * 7) % 100] as const);
  const cifar100 = () => {
    const directory = fresh();
    writeCifar100Fixture(directory, {
      train: pairs(6),
      test: pairs(3),
      fineClassNames: Array.from({ length: 100 }, (_, index) => `fine-${index}`),
      coarseClassNames: Array.from({ length: 20 }, (_, index) => `coarse-${index}`),
    });
    return directory;
  };

  it('uses the fine label (second byte) by default and the coarse one on request', () => {
    const directory = cifar100();
    const fine = readCifar100Directory(directory);
    expect(fine.numClasses).toBe(100);
    expect(Array.from(fine.train.labels)).toEqual([0, 7, 14, 21, 28, 35]);
    expect(fine.classNames?.[7]).toBe('fine-7');
    const coarse = readCifar100Directory(directory, 'coarse');
    expect(coarse.numClasses).toBe(20);
    expect(Array.from(coarse.test.labels)).toEqual([0, 1, 2]);
    expect(coarse.classNames?.[2]).toBe('coarse-2');
    // Pixels start after both label bytes.
    expect(fine.train.pixels[5 * 3072 + 1]).toBe(cifarFixtureByte('train', 5, 0, 1));
  });

  it('checks sizes against the 3074-byte record and labels against 100 / 20 classes', () => {
    const directory = cifar100();
    truncateSync(join(directory, 'test.bin'), 3 * 3074 - 1);
    expect(() => readCifar100Directory(directory)).toThrow(/CIFAR-100: file '.*test\.bin' is 9221 bytes, not a multiple of the 3074-byte record \(2 label bytes/);
    const other = cifar100();
    poke(join(other, 'train.bin'), 3074 + 1, 100);
    expect(() => readCifar100Directory(other)).toThrow(/train\.bin', record 1 \(byte 3075\): label 100 is out of range, expected 0–99/);
    poke(join(other, 'train.bin'), 3074 + 1, 99);
    poke(join(other, 'train.bin'), 0, 20);
    expect(readCifar100Directory(other).train.labels[1]).toBe(99);
    expect(() => readCifar100Directory(other, 'coarse')).toThrow(/record 0 \(byte 0\): label 20 is out of range, expected 0–19/);
  });
});
