import { createSeededRandom } from '@robustfair/core';
import { DatasetError } from '@robustfair/spec';
import { describeDataset } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { createInMemoryDataset, type InMemoryDatasetOptions } from './in-memory-dataset.js';

// Image i of a split is filled with the value i / 100, so a batch's images name their indices.
const images = (count: number, imageLength: number) => {
  const values = new Float32Array(count * imageLength);
  for (let index = 0; index < count; index++) values.fill(index / 100, index * imageLength, (index + 1) * imageLength);
  return values;
};

const fixture = (): InMemoryDatasetOptions => ({
  id: 'fixture',
  numClasses: 3,
  inputShape: [2, 2, 1],
  splits: {
    train: { images: images(10, 4), labels: [0, 1, 2, 0, 1, 2, 0, 1, 2, 0] },
    validation: { images: images(4, 4), labels: new Int32Array([2, 2, 1, 0]) },
  },
});

const indicesOf = async (dataset: ReturnType<typeof createInMemoryDataset>, options: { batchSize: number; shuffle: boolean; seed: number }) => {
  const seen: number[][] = [];
  for await (const batch of dataset.batches('train', options)) {
    const values = await batch.inputs.data();
    seen.push(Array.from({ length: batch.inputs.shape[0] }, (_, index) => Math.round(values[index * 4]! * 100)));
    batch.inputs.dispose();
    batch.labels.dispose();
  }
  return seen;
};

describeDataset('in-memory', () => createInMemoryDataset(fixture()));
describeDataset('in-memory, batch size 1', () => createInMemoryDataset(fixture()), { batchSize: 1 });

describe(createInMemoryDataset, () => {
  it('reports sizes, labels in index order, default class names, and size 0 for an absent split', () => {
    const dataset = createInMemoryDataset(fixture());
    expect(dataset.size('train')).toBe(10);
    expect(dataset.size('validation')).toBe(4);
    expect(dataset.size('test')).toBe(0);
    expect(dataset.labels('validation')).toEqual([2, 2, 1, 0]);
    expect(dataset.labels('test')).toEqual([]);
    expect(dataset.classNames).toEqual(['class-0', 'class-1', 'class-2']);
  });

  it('batches in index order without shuffling, keeping the last partial batch', async () => {
    expect(await indicesOf(createInMemoryDataset(fixture()), { batchSize: 4, shuffle: false, seed: 0 })).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });

  it('shuffles in the order createSeededRandom(seed).permutation(size) gives', async () => {
    const expected = createSeededRandom(42).permutation(10);
    const batches = await indicesOf(createInMemoryDataset(fixture()), { batchSize: 3, shuffle: true, seed: 42 });
    expect(batches.map((batch) => batch.length)).toEqual([3, 3, 3, 1]);
    expect(batches.flat()).toEqual(expected);
  });

  it('copies its input, so later changes by the caller do not change the data', async () => {
    const options = fixture();
    const dataset = createInMemoryDataset(options);
    options.splits.train.images.fill(0.5);
    expect((await indicesOf(dataset, { batchSize: 10, shuffle: false, seed: 0 }))[0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  describe('rejects bad data with a DatasetError naming the split and what was expected', () => {
    const withSplit = (split: 'train' | 'validation', data: { images: Float32Array; labels: number[] }): InMemoryDatasetOptions => ({
      ...fixture(),
      splits: { ...fixture().splits, [split]: data },
    });

    it('when images and labels disagree in length', () => {
      const make = () => createInMemoryDataset(withSplit('validation', { images: new Float32Array(7), labels: [0, 1] }));
      expect(make).toThrow(DatasetError);
      expect(make).toThrow(/split 'validation'.*2 labels.*= 8 image values, got 7/);
    });

    it('when a label is out of range or not an integer', () => {
      expect(() => createInMemoryDataset(withSplit('train', { images: images(2, 4), labels: [0, 3] }))).toThrow(
        /split 'train': label at index 1 is 3, expected an integer in \[0, 2\]/,
      );
      expect(() => createInMemoryDataset(withSplit('train', { images: images(2, 4), labels: [0.5, 1] }))).toThrow(/label at index 0 is 0.5/);
    });

    it('when a pixel is outside [0, 1] or NaN', () => {
      const bright = images(2, 4);
      bright[5] = 255;
      expect(() => createInMemoryDataset(withSplit('train', { images: bright, labels: [0, 1] }))).toThrow(/split 'train'.*255 at image 1.*\[0, 1\]/);
      const missing = images(2, 4);
      missing[0] = NaN;
      expect(() => createInMemoryDataset(withSplit('train', { images: missing, labels: [0, 1] }))).toThrow(DatasetError);
    });

    it('when classNames or inputShape do not fit', () => {
      expect(() => createInMemoryDataset({ ...fixture(), classNames: ['a', 'b'] })).toThrow(/classNames has 2 entries but numClasses is 3/);
      expect(() => createInMemoryDataset({ ...fixture(), inputShape: [2, 0, 1] })).toThrow(/inputShape/);
    });

    it('when the batch size is not a positive integer', () => {
      const dataset = createInMemoryDataset(fixture());
      expect(() => dataset.batches('train', { batchSize: 0, shuffle: false, seed: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
    });
  });
});
