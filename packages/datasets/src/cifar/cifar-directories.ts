import { join } from 'node:path';
import { requireDirectory } from '../directory/dataset-directory.js';
import { type CifarRecords, readCifarRecords, readClassNamesFile } from './cifar-binary-files.js';

/** The files of the CIFAR-10 binary version (`cifar-10-batches-bin/`). */
export const cifar10FileNames = {
  train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  test: 'test_batch.bin',
  classNames: 'batches.meta.txt',
} as const;

/** The files of the CIFAR-100 binary version (`cifar-100-binary/`). */
export const cifar100FileNames = {
  train: 'train.bin',
  test: 'test.bin',
  fineClassNames: 'fine_label_names.txt',
  coarseClassNames: 'coarse_label_names.txt',
} as const;

/** A CIFAR directory read into memory: uint8 records of both splits and the class names, if listed. */
export interface CifarDirectory {
  readonly numClasses: number;
  readonly train: CifarRecords;
  readonly test: CifarRecords;
  readonly classNames?: readonly string[];
}

/**
 * Reads a CIFAR-10 binary-version directory: `data_batch_1.bin` … `data_batch_5.bin` (train, in
 * that order) and `test_batch.bin`, 3073-byte records, labels 0–9; class names from
 * `batches.meta.txt` when present. All six files must hold the same number of records.
 */
export function readCifar10Directory(directory: string): CifarDirectory {
  const name = 'CIFAR-10';
  requireDirectory(directory, name, `${cifar10FileNames.train.join(', ')} and ${cifar10FileNames.test} (cifar-10-batches-bin from cifar-10-binary.tar.gz)`);
  const format = { name, labelBytes: 1, labelByte: 0, numClasses: 10 };
  const files = [...cifar10FileNames.train, cifar10FileNames.test].map((file) => join(directory, file));
  const all = readCifarRecords(files, format, { sameCount: true });
  const testCount = all.recordsPerFile.at(-1) ?? 0;
  const trainCount = all.labels.length - testCount;
  const imageBytes = all.pixels.length / all.labels.length;
  // Views, not copies: the train and test halves share the one buffer.
  const train = { pixels: all.pixels.subarray(0, trainCount * imageBytes), labels: all.labels.subarray(0, trainCount), recordsPerFile: all.recordsPerFile.slice(0, -1) };
  const test = { pixels: all.pixels.subarray(trainCount * imageBytes), labels: all.labels.subarray(trainCount), recordsPerFile: [testCount] };
  const classNames = readClassNamesFile(join(directory, cifar10FileNames.classNames), 10, name);
  return { numClasses: 10, train, test, ...(classNames && { classNames }) };
}

/**
 * Reads a CIFAR-100 binary-version directory: `train.bin` and `test.bin`, 3074-byte records
 * (coarse label byte, fine label byte, pixels). `labels: 'fine'` (100 classes, the default) or
 * `'coarse'` (20 superclasses); names from `fine_label_names.txt` / `coarse_label_names.txt`.
 */
export function readCifar100Directory(directory: string, labels: 'fine' | 'coarse' = 'fine'): CifarDirectory {
  const name = 'CIFAR-100';
  requireDirectory(directory, name, `${cifar100FileNames.train} and ${cifar100FileNames.test} (cifar-100-binary from cifar-100-binary.tar.gz)`);
  const numClasses = labels === 'fine' ? 100 : 20;
  const format = { name, labelBytes: 2, labelByte: labels === 'fine' ? 1 : 0, numClasses };
  const train = readCifarRecords([join(directory, cifar100FileNames.train)], format);
  const test = readCifarRecords([join(directory, cifar100FileNames.test)], format);
  const namesFile = labels === 'fine' ? cifar100FileNames.fineClassNames : cifar100FileNames.coarseClassNames;
  const classNames = readClassNamesFile(join(directory, namesFile), numClasses, name);
  return { numClasses, train, test, ...(classNames && { classNames }) };
}
