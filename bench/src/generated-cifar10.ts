import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const recordBytes = 1 + 32 * 32 * 3;
const trainFiles = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];

/**
 * A CIFAR-10 binary directory of random images (labels cycling 0..9), for the epoch and
 * AutoAttack benchmarks when no real CIFAR-10 is at hand: `perClass` images of each class in each
 * of the five training files and in test_batch.bin (the reader wants six files of one length).
 * Pixels come from a fixed linear congruential stream, so every run times the same bytes.
 */
export function writeGeneratedCifar10(directory: string, perClass: number): void {
  mkdirSync(directory, { recursive: true });
  let state = 12345;
  const byte = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 24;
  };
  const write = (name: string, perClass: number) => {
    const records = Buffer.alloc(10 * perClass * recordBytes);
    for (let record = 0; record < 10 * perClass; record++) {
      records[record * recordBytes] = record % 10;
      for (let pixel = 1; pixel < recordBytes; pixel++) records[record * recordBytes + pixel] = byte();
    }
    writeFileSync(path.join(directory, name), records);
  };
  for (const name of [...trainFiles, 'test_batch.bin']) write(name, perClass);
}
