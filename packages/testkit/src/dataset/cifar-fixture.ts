import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const imageBytes = 32 * 32 * 3;

/**
 * The byte a CIFAR fixture stores for channel `channel` (0 red, 1 green, 2 blue) of pixel
 * `position` (row · 32 + column) of image `index` of `split`, so tests can compute any expected
 * pixel by hand: (13·index + 71·channel + 3·position + (test ? 101 : 0)) mod 256.
 */
export function cifarFixtureByte(split: 'train' | 'test', index: number, channel: number, position: number): number {
  return (13 * index + 71 * channel + 3 * position + (split === 'test' ? 101 : 0)) % 256;
}

function records(split: 'train' | 'test', labelBytes: readonly (readonly number[])[], firstIndex: number): Buffer {
  const recordBytes = (labelBytes[0]?.length ?? 1) + imageBytes;
  const buffer = Buffer.alloc(labelBytes.length * recordBytes);
  labelBytes.forEach((labels, record) => {
    const offset = record * recordBytes;
    labels.forEach((label, position) => (buffer[offset + position] = label));
    for (let channel = 0; channel < 3; channel++) {
      for (let position = 0; position < 1024; position++) {
        buffer[offset + labels.length + channel * 1024 + position] = cifarFixtureByte(split, firstIndex + record, channel, position);
      }
    }
  });
  return buffer;
}

/** What `writeCifar10Fixture` writes. */
export interface Cifar10FixtureOptions {
  /** Training labels, split in order over `data_batch_1..5.bin`; a multiple of 5 long. */
  readonly trainLabels: readonly number[];
  /** Labels of `test_batch.bin`; as long as one training file. */
  readonly testLabels: readonly number[];
  /** Written to `batches.meta.txt` when given. */
  readonly classNames?: readonly string[];
}

/**
 * Writes a tiny CIFAR-10 binary-version directory (same format as `cifar-10-batches-bin`),
 * pixels from `cifarFixtureByte` with the image's index in its split. Returns the files written.
 */
export function writeCifar10Fixture(directory: string, { trainLabels, testLabels, classNames }: Cifar10FixtureOptions): string[] {
  mkdirSync(directory, { recursive: true });
  const perFile = trainLabels.length / 5;
  const written: string[] = [];
  for (let file = 0; file < 5; file++) {
    const labels = trainLabels.slice(file * perFile, (file + 1) * perFile).map((label) => [label]);
    written.push(join(directory, `data_batch_${file + 1}.bin`));
    writeFileSync(written.at(-1) as string, records('train', labels, file * perFile));
  }
  written.push(join(directory, 'test_batch.bin'));
  writeFileSync(written.at(-1) as string, records('test', testLabels.map((label) => [label]), 0));
  if (classNames) writeFileSync(join(directory, 'batches.meta.txt'), `${classNames.join('\n')}\n\n`);
  return written;
}

/** What `writeCifar100Fixture` writes: `[coarse, fine]` label pairs per image. */
export interface Cifar100FixtureOptions {
  readonly train: readonly (readonly [coarse: number, fine: number])[];
  readonly test: readonly (readonly [coarse: number, fine: number])[];
  /** Written to `fine_label_names.txt` when given. */
  readonly fineClassNames?: readonly string[];
  /** Written to `coarse_label_names.txt` when given. */
  readonly coarseClassNames?: readonly string[];
}

/** Writes a tiny CIFAR-100 binary-version directory (`train.bin`, `test.bin`, 3074-byte records). */
export function writeCifar100Fixture(directory: string, options: Cifar100FixtureOptions): void {
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, 'train.bin'), records('train', options.train, 0));
  writeFileSync(join(directory, 'test.bin'), records('test', options.test, 0));
  if (options.fineClassNames) writeFileSync(join(directory, 'fine_label_names.txt'), `${options.fineClassNames.join('\n')}\n`);
  if (options.coarseClassNames) writeFileSync(join(directory, 'coarse_label_names.txt'), `${options.coarseClassNames.join('\n')}\n`);
}
