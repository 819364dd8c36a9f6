import type { Batch, BatchOptions, Dataset, Split } from '@robustfair/spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoTensorLeak } from '../leak/expect-no-tensor-leak.js';

/** Tuning for `describeDataset`; defaults suit tiny test datasets. */
export interface DescribeDatasetOptions {
  /** Batch size used throughout. Default: about a third of the train split, so there is a partial last batch. */
  readonly batchSize?: number;
  /**
   * The dataset augments its train split from the batch seed (random crops, flips): train images
   * are then compared by label only across seeds, and augmentation is checked to be a function
   * of the seed that leaves validation and test alone. Default false.
   */
  readonly augmentsTrain?: boolean;
}

/** One batch read back to plain arrays. */
interface ReadBatch {
  readonly shape: readonly number[];
  readonly inputsDtype: string;
  readonly labelsDtype: string;
  readonly labelsShape: readonly number[];
  /** One key per image (its bytes), to recognise a sample whatever its position. */
  readonly imageKeys: readonly string[];
  readonly labels: readonly number[];
  readonly minimum: number;
  readonly maximum: number;
}

const splits: readonly Split[] = ['train', 'validation', 'test'];

async function readBatches(dataset: Dataset, split: Split, options: BatchOptions): Promise<ReadBatch[]> {
  const result: ReadBatch[] = [];
  for await (const batch of dataset.batches(split, options)) {
    try {
      result.push(await readBatch(batch));
    } finally {
      batch.inputs.dispose();
      batch.labels.dispose();
    }
  }
  return result;
}

async function readBatch({ inputs, labels }: Batch): Promise<ReadBatch> {
  const values = (await inputs.data()) as Float32Array;
  const count = inputs.shape[0];
  const imageLength = count === 0 ? 0 : values.length / count;
  const imageKeys = Array.from({ length: count }, (_, index) =>
    Buffer.from(values.buffer, values.byteOffset + index * imageLength * 4, imageLength * 4).toString('base64'),
  );
  let minimum = Infinity;
  let maximum = -Infinity;
  for (const value of values) {
    // NaN fails every comparison, so record it as the extreme that the range checks will reject.
    if (Number.isNaN(value)) minimum = NaN;
    if (value < minimum) minimum = value;
    if (value > maximum) maximum = value;
  }
  return { ...shapeOf(inputs, labels), imageKeys, labels: Array.from(await labels.data()), minimum, maximum };
}

const shapeOf = (inputs: Batch['inputs'], labels: Batch['labels']) => ({
  shape: inputs.shape,
  inputsDtype: inputs.dtype,
  labelsDtype: labels.dtype,
  labelsShape: labels.shape,
});

const sorted = (keys: readonly string[]) => [...keys].sort();

/**
 * Conformance suite every `Dataset` runs (HOUSE-STYLE B8): batches cover each split exactly
 * once, with the documented shapes, dtypes and ranges; shuffling is a function of the seed;
 * unshuffled labels equal `labels(split)`; and consuming batches (fully or breaking early) and
 * disposing them leaves no tensor alive.
 *
 * `makeDataset` is called once, before the tests. Keep the dataset tiny: the cpu backend is slow.
 *
 * @example
 * describeDataset('synthetic', () => createSyntheticDataset({ numClasses: 3, imageSize: 4, trainPerClass: 5 }));
 */
export function describeDataset(name: string, makeDataset: () => Dataset | Promise<Dataset>, options: DescribeDatasetOptions = {}): void {
  describe(`dataset conformance: ${name}`, () => {
    let dataset: Dataset;
    let batchSize: number;
    const nonEmpty = () => splits.filter((split) => dataset.size(split) > 0);
    const unshuffled = (split: Split, seed = 0) => readBatches(dataset, split, { batchSize, shuffle: false, seed });
    const augmented = (split: Split) => options.augmentsTrain === true && split === 'train';
    const shuffled = (split: Split, seed: number) => readBatches(dataset, split, { batchSize, shuffle: true, seed });

    beforeAll(async () => {
      dataset = await makeDataset();
      batchSize = options.batchSize ?? Math.max(1, Math.floor(dataset.size('train') / 3));
    });

    it('describes itself consistently', () => {
      expect(dataset.specificationVersion).toBe('v1');
      expect(dataset.id).toMatch(/\S/);
      expect(Number.isInteger(dataset.numClasses) && dataset.numClasses > 0).toBe(true);
      expect(dataset.inputShape).toHaveLength(3);
      for (const extent of dataset.inputShape) expect(Number.isInteger(extent) && extent > 0).toBe(true);
      if (dataset.classNames !== undefined) expect(dataset.classNames).toHaveLength(dataset.numClasses);
      expect(dataset.size('train')).toBeGreaterThan(0);
    });

    it('has integer labels in [0, numClasses), one per sample', () => {
      for (const split of splits) {
        const labels = dataset.labels(split);
        expect(labels, split).toHaveLength(dataset.size(split));
        for (const label of labels) expect(Number.isInteger(label) && label >= 0 && label < dataset.numClasses, `${split} label ${label}`).toBe(true);
      }
    });

    it('yields float32 NHWC inputs in [0, 1] and int32 labels, full batches then one partial', async () => {
      const [height, width, channels] = dataset.inputShape;
      for (const split of nonEmpty()) {
        const batches = await unshuffled(split);
        const size = dataset.size(split);
        expect(batches, split).toHaveLength(Math.ceil(size / batchSize));
        batches.forEach((batch, index) => {
          const expected = index < batches.length - 1 ? batchSize : size - batchSize * (batches.length - 1);
          expect(batch.shape, `${split} batch ${index}`).toEqual([expected, height, width, channels]);
          expect(batch.labelsShape).toEqual([expected]);
          expect(batch.inputsDtype).toBe('float32');
          expect(batch.labelsDtype).toBe('int32');
          expect(batch.minimum, `${split} batch ${index} minimum`).toBeGreaterThanOrEqual(0);
          expect(batch.maximum, `${split} batch ${index} maximum`).toBeLessThanOrEqual(1);
        });
      }
    });

    it('without shuffling, yields labels(split) in index order, each sample once', async () => {
      for (const split of nonEmpty()) {
        const batches = await unshuffled(split);
        expect(batches.flatMap((batch) => batch.labels), split).toEqual([...dataset.labels(split)]);
        expect(batches.reduce((total, batch) => total + (batch.shape[0] ?? 0), 0)).toBe(dataset.size(split));
      }
    });

    it('with shuffling, yields every sample exactly once (same images, same labels)', async () => {
      // An augmented split changes its images with the seed, so only its labels can be matched.
      const sampleKeys = (batches: readonly ReadBatch[], split: Split) =>
        batches.flatMap((batch) => batch.imageKeys.map((key, index) => (augmented(split) ? `${batch.labels[index]}` : `${batch.labels[index]}:${key}`)));
      for (const split of nonEmpty()) {
        const reference = sampleKeys(await unshuffled(split), split);
        const permuted = sampleKeys(await shuffled(split, 7), split);
        expect(permuted, split).toHaveLength(reference.length);
        expect(sorted(permuted), split).toEqual(sorted(reference));
      }
    });

    it('shuffles as a function of the seed: same seed same order, another seed another order', async () => {
      const order = async (seed: number) => (await shuffled('train', seed)).flatMap((batch) => batch.imageKeys);
      const first = await order(11);
      expect(await order(11)).toEqual(first);
      // With few samples two seeds may give the same order by chance (1 in 8! = 40320 at 8).
      if (dataset.size('train') >= 8) expect(await order(12)).not.toEqual(first);
    });

    if (options.augmentsTrain === true) {
      it('augments the train split as a function of the seed, and only the train split', async () => {
        const images = async (split: Split, seed: number) => (await unshuffled(split, seed)).flatMap((batch) => batch.imageKeys);
        expect(await images('train', 21)).toEqual(await images('train', 21));
        expect(await images('train', 22)).not.toEqual(await images('train', 21));
        for (const split of nonEmpty().filter((candidate) => candidate !== 'train')) {
          expect(await images(split, 22), split).toEqual(await images(split, 21));
        }
      });
    }

    it('yields nothing for an empty split', async () => {
      for (const split of splits.filter((candidate) => dataset.size(candidate) === 0)) {
        expect(await unshuffled(split), split).toEqual([]);
      }
    });

    it('leaves no tensor alive once the consumer disposes its batches, even when it stops early', async () => {
      await expectNoTensorLeak(async () => {
        for await (const batch of dataset.batches('train', { batchSize, shuffle: true, seed: 3 })) {
          batch.inputs.dispose();
          batch.labels.dispose();
        }
      }, `${name}: full pass`);
      await expectNoTensorLeak(async () => {
        for await (const batch of dataset.batches('train', { batchSize, shuffle: false, seed: 0 })) {
          batch.inputs.dispose();
          batch.labels.dispose();
          break;
        }
      }, `${name}: early break`);
    });
  });
}
