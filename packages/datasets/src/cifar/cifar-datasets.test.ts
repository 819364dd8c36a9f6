import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Dataset, DatasetError, InvalidOptionsError, type Split } from '@robustfair/spec';
import { cifarFixtureByte, describeDataset, expectNoTensorLeak, writeCifar100Fixture, writeCifar10Fixture } from '@robustfair/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { builtinDatasets } from '../builtin-datasets.js';
import { cifar100DatasetPlugin, cifar10DatasetPlugin } from './cifar-plugins.js';
import { cifar10DirectoryVariable, createCifar100Dataset, createCifar10Dataset } from './cifar-datasets.js';

// Fixture: 20 training images (labels 0..9 twice: indices c and 10 + c are class c), 4 test images.
const root = mkdtempSync(join(tmpdir(), 'robustfair-cifar-datasets-'));
const directory = join(root, 'cifar-10-batches-bin');
writeCifar10Fixture(directory, { trainLabels: Array.from({ length: 20 }, (_, index) => index % 10), testLabels: [3, 1, 4, 1] });
const cifar100Directory = join(root, 'cifar-100-binary');
writeCifar100Fixture(cifar100Directory, {
  train: Array.from({ length: 12 }, (_, index) => [index % 2, index % 3] as const),
  test: [[1, 2], [0, 0], [1, 1]],
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every batch of a split read back: images as flat Float32Arrays, labels as numbers. */
async function readAll(dataset: Dataset, split: Split, options: { batchSize: number; shuffle: boolean; seed: number }) {
  const images: Float32Array[] = [];
  const labels: number[] = [];
  for await (const batch of dataset.batches(split, options)) {
    const values = (await batch.inputs.data()) as Float32Array;
    for (let index = 0; index < batch.inputs.shape[0]; index++) images.push(values.slice(index * 3072, (index + 1) * 3072));
    labels.push(...(await batch.labels.data()));
    batch.inputs.dispose();
    batch.labels.dispose();
  }
  return { images, labels };
}

/** Image `index` of the fixture's `split` as the dataset should yield it: HWC, byte / 255. */
const expectedImage = (split: 'train' | 'test', index: number) =>
  Float32Array.from({ length: 3072 }, (_, value) => cifarFixtureByte(split, index, value % 3, Math.floor(value / 3)) / 255);

describeDataset('cifar10 (fixture)', () => createCifar10Dataset({ directory }));
describeDataset('cifar10 (fixture) with a first-per-class validation split', () =>
  createCifar10Dataset({ directory, validation: { perClass: 1, take: 'first' } }),
);
describeDataset(
  'cifar10 plugin (fixture) with a random validation split and CFA augmentation',
  () =>
    cifar10DatasetPlugin.create(
      cifar10DatasetPlugin.optionsSchema.parse({ directory, validation: { perClass: 1, take: 'random' }, augmentation: { crop: { mode: 'reflect' }, flip: true } }),
      { seed: 4 },
    ),
  { augmentsTrain: true },
);
describeDataset('cifar100 (fixture)', () => createCifar100Dataset({ directory: cifar100Directory, augmentation: { flip: true } }), { augmentsTrain: true });

describe(createCifar10Dataset, () => {
  it('yields the records as HWC pixels in [0, 1] (byte / 255), labels and sizes as in the files', async () => {
    const dataset = createCifar10Dataset({ directory });
    expect([dataset.size('train'), dataset.size('validation'), dataset.size('test')]).toEqual([20, 0, 4]);
    expect(dataset.inputShape).toEqual([32, 32, 3]);
    expect(dataset.numClasses).toBe(10);
    const train = await readAll(dataset, 'train', { batchSize: 8, shuffle: false, seed: 0 });
    expect(train.images[0]).toEqual(expectedImage('train', 0));
    expect(train.images[17]).toEqual(expectedImage('train', 17));
    const test = await readAll(dataset, 'test', { batchSize: 8, shuffle: false, seed: 0 });
    expect(test.labels).toEqual([3, 1, 4, 1]);
    expect(test.images[2]).toEqual(expectedImage('test', 2));
  });

  it('takes the validation split out of train by index within each class', async () => {
    const first = createCifar10Dataset({ directory, validation: { perClass: 1, take: 'first' } });
    expect(first.size('train')).toBe(10);
    const validation = await readAll(first, 'validation', { batchSize: 20, shuffle: false, seed: 0 });
    expect(validation.labels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(validation.images[3]).toEqual(expectedImage('train', 3)); // the first image of class 3 is index 3
    const kept = await readAll(first, 'train', { batchSize: 20, shuffle: false, seed: 0 });
    expect(kept.images[3]).toEqual(expectedImage('train', 13));
    const last = createCifar10Dataset({ directory, validation: { perClass: 1, take: 'last' } });
    expect((await readAll(last, 'validation', { batchSize: 20, shuffle: false, seed: 0 })).images[3]).toEqual(expectedImage('train', 13));
  });

  it('subset keeps the first images of each class in train and test', async () => {
    const dataset = createCifar10Dataset({ directory, subset: { perClass: 1 } });
    expect(dataset.labels('train')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(dataset.labels('test')).toEqual([3, 1, 4]); // test indices 0, 1, 2 (index 3 is a second 1)
    const test = await readAll(dataset, 'test', { batchSize: 4, shuffle: false, seed: 0 });
    expect(test.images[2]).toEqual(expectedImage('test', 2));
  });

  describe('batches are a function of the seed', () => {
    const augmented = () => createCifar10Dataset({ directory, augmentation: { crop: { padding: 4, mode: 'zero' }, flip: true } });
    const read = (seed: number) => readAll(augmented(), 'train', { batchSize: 6, shuffle: true, seed });

    it('same seed: same order, same crops and flips', async () => {
      const first = await read(9);
      const second = await read(9);
      expect(second.labels).toEqual(first.labels);
      expect(second.images).toEqual(first.images);
    });

    it('another seed: another order and other augmentations', async () => {
      const first = await read(9);
      const other = await read(10);
      expect(other.labels).not.toEqual(first.labels);
      expect(other.images).not.toEqual(first.images);
    });

    it('augmented train images are crops and flips of the original, test images are untouched', async () => {
      const dataset = augmented();
      const train = await readAll(dataset, 'train', { batchSize: 20, shuffle: false, seed: 5 });
      const plain = expectedImage('train', 0);
      const image = train.images[0]!;
      // Every non-padding value of the augmented image appears in the original image.
      const values = new Set(plain);
      for (const value of image) if (value !== 0) expect(values.has(value)).toBe(true);
      const test = await readAll(dataset, 'test', { batchSize: 4, shuffle: true, seed: 5 });
      const testOriginals = [0, 1, 2, 3].map((index) => expectedImage('test', index));
      for (const candidate of test.images) expect(testOriginals.some((original) => original.every((value, index) => value === candidate[index]))).toBe(true);
    });

    it('leaks no tensor while augmenting', async () => {
      await expectNoTensorLeak(() => read(3), 'augmented cifar10 pass');
    });
  });

  describe('directory', () => {
    const saved = process.env[cifar10DirectoryVariable];
    afterEach(() => {
      if (saved === undefined) delete process.env[cifar10DirectoryVariable];
      else process.env[cifar10DirectoryVariable] = saved;
    });

    it(`falls back to ${cifar10DirectoryVariable}`, () => {
      process.env[cifar10DirectoryVariable] = directory;
      expect(createCifar10Dataset().size('train')).toBe(20);
    });

    it('is an error naming the option and the variable when neither is set', () => {
      delete process.env[cifar10DirectoryVariable];
      expect(() => createCifar10Dataset()).toThrow(DatasetError);
      expect(() => createCifar10Dataset()).toThrow(/dataset 'cifar10'.*option 'directory' or the environment variable ROBUSTFAIR_CIFAR10_DIR/);
    });
  });

  it('with download: true and missing files, points to the asynchronous prepare step', () => {
    expect(() => createCifar10Dataset({ directory: join(root, 'absent'), download: true })).toThrow(
      /data_batch_1\.bin, .*test_batch\.bin missing in '.*absent'.*prepareCifarDataset\('cifar10', options\)/,
    );
  });

  it('rejects unknown and ill-typed options, naming the field', () => {
    expect(() => createCifar10Dataset({ directory, augmentation: { crop: { mode: 'mirror' } } } as never)).toThrow(InvalidOptionsError);
    expect(() => createCifar10Dataset({ directory, shuffle: true } as never)).toThrow(/unknown field\(s\) 'shuffle'/);
    expect(() => createCifar10Dataset({ directory, validation: { perClass: 0 } })).toThrow(/validation\.perClass/);
  });
});

describe(createCifar100Dataset, () => {
  it('uses fine labels by default and coarse ones on request', () => {
    expect(createCifar100Dataset({ directory: cifar100Directory }).labels('test')).toEqual([2, 0, 1]);
    const coarse = createCifar100Dataset({ directory: cifar100Directory, labels: 'coarse' });
    expect(coarse.numClasses).toBe(20);
    expect(coarse.labels('test')).toEqual([1, 0, 1]);
  });
});

describe('CIFAR plugins', () => {
  it('are listed in builtinDatasets with ids cifar10 and cifar100', () => {
    expect(builtinDatasets).toContain(cifar10DatasetPlugin);
    expect(builtinDatasets).toContain(cifar100DatasetPlugin);
    expect([cifar10DatasetPlugin.id, cifar100DatasetPlugin.id]).toEqual(['cifar10', 'cifar100']);
  });

  it('prepare does nothing (and never downloads) when the files are present or download is false', async () => {
    await cifar10DatasetPlugin.prepare(cifar10DatasetPlugin.optionsSchema.parse({ directory, download: true }));
    await cifar10DatasetPlugin.prepare(cifar10DatasetPlugin.optionsSchema.parse({ directory: join(root, 'absent') }));
  });
});
