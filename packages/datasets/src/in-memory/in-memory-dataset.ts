import { type BatchOptions, type Batch, type Dataset, DatasetError, type Split } from '@robustfair/spec';
import { createSeededRandom } from '@robustfair/core';
import * as tf from '@tensorflow/tfjs-core';

/** One split held in memory: images NHWC in [0, 1], one integer label per image. */
export interface InMemorySplit {
  /** `size · height · width · channels` values, image after image (NHWC), each in [0, 1]. */
  readonly images: Float32Array;
  /** One class id per image, in `[0, numClasses)`. */
  readonly labels: Int32Array | readonly number[];
}

/** What `createInMemoryDataset` needs. Splits left out have size 0. */
export interface InMemoryDatasetOptions {
  readonly id: string;
  readonly numClasses: number;
  readonly inputShape: readonly [height: number, width: number, channels: number];
  /** Defaults to `class-0`, `class-1`, … */
  readonly classNames?: readonly string[];
  readonly splits: {
    readonly train: InMemorySplit;
    readonly validation?: InMemorySplit;
    readonly test?: InMemorySplit;
  };
}

const splitNames: readonly Split[] = ['train', 'validation', 'test'];

interface CheckedSplit {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly size: number;
}

const isPositiveInteger = (value: number) => Number.isInteger(value) && value > 0;

/**
 * A dataset over arrays already in memory (fixtures, generated data, decoded files).
 *
 * Everything is checked once, here, so a bad array fails with a message naming the split and
 * what was expected instead of surfacing as a shape error deep inside training. The arrays are
 * copied, so later changes by the caller cannot change the data under a running experiment.
 *
 * `batches` creates the tensors of one batch at a time (never one tensor of the whole split), so
 * device memory stays at one batch however large the split is. The last, partial batch is kept.
 * With `shuffle` the order is `createSeededRandom(seed).permutation(size)`; without it, index
 * order. The consumer owns and disposes every yielded batch.
 *
 * @example
 * const dataset = createInMemoryDataset({ id: 'toy', numClasses: 2, inputShape: [1, 1, 1],
 *   splits: { train: { images: new Float32Array([0, 1]), labels: [0, 1] } } });
 */
export function createInMemoryDataset(options: InMemoryDatasetOptions): Dataset {
  const { id, numClasses, inputShape } = options;
  if (!isPositiveInteger(numClasses)) {
    throw new DatasetError(`dataset '${id}': numClasses must be a positive integer, got ${numClasses}`);
  }
  if (inputShape.length !== 3 || !inputShape.every(isPositiveInteger)) {
    throw new DatasetError(
      `dataset '${id}': inputShape must be [height, width, channels] of positive integers, got [${inputShape.join(', ')}]`,
    );
  }
  const classNames = options.classNames ?? Array.from({ length: numClasses }, (_, index) => `class-${index}`);
  if (classNames.length !== numClasses) {
    throw new DatasetError(`dataset '${id}': classNames has ${classNames.length} entries but numClasses is ${numClasses}`);
  }
  const [height, width, channels] = inputShape;
  const imageLength = height * width * channels;

  const checkSplit = (split: Split, data: InMemorySplit): CheckedSplit => {
    const where = `dataset '${id}', split '${split}'`;
    const size = data.labels.length;
    if (data.images.length !== size * imageLength) {
      throw new DatasetError(
        `${where}: expected ${size} labels × ${height}·${width}·${channels} = ${size * imageLength} image values, got ${data.images.length}`,
      );
    }
    const labels = new Int32Array(size);
    for (let index = 0; index < size; index++) {
      const label = data.labels[index] as number;
      if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
        throw new DatasetError(`${where}: label at index ${index} is ${label}, expected an integer in [0, ${numClasses - 1}]`);
      }
      labels[index] = label;
    }
    for (let index = 0; index < data.images.length; index++) {
      const value = data.images[index] as number;
      // NaN fails both comparisons' negation, so test the allowed range positively.
      if (!(value >= 0 && value <= 1)) {
        throw new DatasetError(
          `${where}: image value ${value} at image ${Math.floor(index / imageLength)} is outside [0, 1] (pixels must be scaled to [0, 1])`,
        );
      }
    }
    return { images: data.images.slice(), labels, size };
  };

  const splits = new Map<Split, CheckedSplit>();
  for (const split of splitNames) {
    const data = options.splits[split];
    if (data !== undefined) splits.set(split, checkSplit(split, data));
  }

  return {
    specificationVersion: 'v1',
    id,
    numClasses,
    classNames,
    inputShape: [height, width, channels],
    size: (split) => splits.get(split)?.size ?? 0,
    labels: (split) => Array.from(splits.get(split)?.labels ?? []),
    batches: (split, batchOptions) => {
      // Validate eagerly (not on the first `next()`), so a bad call fails where it is made.
      if (!isPositiveInteger(batchOptions.batchSize)) {
        throw new DatasetError(`dataset '${id}': batchSize must be a positive integer, got ${batchOptions.batchSize}`);
      }
      return iterateBatches(splits.get(split), imageLength, inputShape, batchOptions);
    },
  };
}

async function* iterateBatches(
  data: CheckedSplit | undefined,
  imageLength: number,
  [height, width, channels]: readonly [number, number, number],
  { batchSize, shuffle, seed }: BatchOptions,
): AsyncGenerator<Batch, void, undefined> {
  if (data === undefined || data.size === 0) return;
  const order = shuffle ? createSeededRandom(seed).permutation(data.size) : Array.from({ length: data.size }, (_, index) => index);
  for (let start = 0; start < data.size; start += batchSize) {
    const indices = order.slice(start, start + batchSize);
    const images = new Float32Array(indices.length * imageLength);
    const labels = new Int32Array(indices.length);
    indices.forEach((sample, position) => {
      images.set(data.images.subarray(sample * imageLength, (sample + 1) * imageLength), position * imageLength);
      labels[position] = data.labels[sample] as number;
    });
    // Tensors are made only when the consumer asks for the batch, so breaking out early leaks nothing.
    yield {
      inputs: tf.tensor4d(images, [indices.length, height, width, channels], 'float32'),
      labels: tf.tensor1d(labels, 'int32'),
    };
  }
}
