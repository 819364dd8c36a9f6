import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCifar10Dataset, cifar10DirectoryVariable } from './cifar-datasets.js';

// The real CIFAR-10 binary files, read only from ROBUSTFAIR_CIFAR10_DIR (the official
// cifar-10-batches-bin/ folder); without it the test is skipped with a message. Expected numbers
// are the published ones of the official files: class counts, first labels, first pixels.
const directory = process.env[cifar10DirectoryVariable] ?? '';
const present = directory !== '' && existsSync(join(directory, 'data_batch_1.bin'));

const counts = (labels: readonly number[]) => {
  const tally = new Array<number>(10).fill(0);
  for (const label of labels) tally[label] = (tally[label] ?? 0) + 1;
  return tally;
};

describe('CIFAR-10 binary files on disk', () => {
  if (!present) {
    const reason = directory ? `no CIFAR-10 binary files at '${directory}'` : `${cifar10DirectoryVariable} is not set`;
    it.skip(`skipped: ${reason} (set ${cifar10DirectoryVariable} to the cifar-10-batches-bin folder to run this test)`, () => {});
  }

  it.skipIf(!present)('has 50,000 train and 10,000 test images, 5,000 and 1,000 per class, and the README\'s first labels', async () => {
    const dataset = createCifar10Dataset({ directory });
    expect(dataset.size('train')).toBe(50_000);
    expect(dataset.size('test')).toBe(10_000);
    expect(dataset.classNames).toEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']);
    const train = dataset.labels('train');
    expect(counts(train)).toEqual(new Array(10).fill(5_000));
    expect(counts(dataset.labels('test'))).toEqual(new Array(10).fill(1_000));
    expect(train.slice(0, 10)).toEqual([6, 9, 9, 4, 1, 1, 2, 7, 8, 3]);
    // data_batch_1 alone (the first 10,000 records): its published class counts.
    expect(counts(train.slice(0, 10_000))).toEqual([1005, 974, 1032, 1016, 999, 937, 1030, 1001, 1025, 981]);

    // One image only (the cpu backend is slow): record 0's first red values are 59, 43, 50, 68, 98
    // in the official files. Copies re-decoded from JPEG differ by a few levels, hence the
    // tolerance; a wrong channel or row order would be far off.
    for await (const batch of dataset.batches('train', { batchSize: 1, shuffle: false, seed: 0 })) {
      const values = await batch.inputs.data();
      const red = [0, 1, 2, 3, 4].map((column) => Math.round(values[column * 3]! * 255));
      [59, 43, 50, 68, 98].forEach((expected, column) => expect(Math.abs(red[column]! - expected)).toBeLessThanOrEqual(16));
      batch.inputs.dispose();
      batch.labels.dispose();
      break;
    }
  });

  it.skipIf(!present)('takes CFA\'s validation split (first 100 per class) and FRL\'s (last 300 per class)', () => {
    const cfa = createCifar10Dataset({ directory, validation: { perClass: 100, take: 'first' } });
    expect([cfa.size('train'), cfa.size('validation')]).toEqual([49_000, 1_000]);
    const frl = createCifar10Dataset({ directory, validation: { perClass: 300, take: 'last' } });
    expect([frl.size('train'), frl.size('validation')]).toEqual([47_000, 3_000]);
    expect(counts(frl.labels('validation'))).toEqual(new Array(10).fill(300));
  });
});
