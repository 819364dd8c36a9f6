import { createSeededRandom } from '@robustfair/core';
import type { Batch, BatchOptions, Dataset, Split } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';

/** One split of {@link createArrayDataset}: flat NHWC pixels and one label per sample. */
export interface ArraySplit {
  readonly pixels: readonly number[] | Float32Array;
  readonly labels: readonly number[];
}

/** Options of {@link createArrayDataset}. */
export interface ArrayDatasetOptions {
  readonly id?: string;
  readonly numClasses: number;
  readonly inputShape: readonly [height: number, width: number, channels: number];
  readonly classNames?: readonly string[];
  readonly splits: Partial<Record<Split, ArraySplit>>;
}

/**
 * A `Dataset` over plain arrays, for evaluation tests that need exact control of the samples
 * (unbalanced, unsorted labels). Batches come in index order unless `shuffle` is set (then a
 * seeded permutation); every yielded batch belongs to the consumer. A missing split has size 0.
 */
export function createArrayDataset(options: ArrayDatasetOptions): Dataset {
  const [height, width, channels] = options.inputShape;
  const features = height * width * channels;
  for (const [split, data] of Object.entries(options.splits)) {
    if (data.pixels.length !== data.labels.length * features) {
      throw new RangeError(`createArrayDataset: split '${split}' has ${data.pixels.length} pixels for ${data.labels.length} samples of ${features}`);
    }
  }
  const splitData = (split: Split): ArraySplit => options.splits[split] ?? { pixels: [], labels: [] };
  return {
    specificationVersion: 'v1',
    id: options.id ?? 'array',
    numClasses: options.numClasses,
    inputShape: options.inputShape,
    ...(options.classNames === undefined ? {} : { classNames: options.classNames }),
    size: (split) => splitData(split).labels.length,
    labels: (split) => [...splitData(split).labels],
    batches: (split: Split, batchOptions: BatchOptions): AsyncIterable<Batch> => {
      const data = splitData(split);
      const count = data.labels.length;
      const order = batchOptions.shuffle
        ? createSeededRandom(batchOptions.seed).permutation(count)
        : Array.from({ length: count }, (_, index) => index);
      return {
        async *[Symbol.asyncIterator]() {
          for (let start = 0; start < count; start += batchOptions.batchSize) {
            const indices = order.slice(start, start + batchOptions.batchSize);
            const pixels = new Float32Array(indices.length * features);
            indices.forEach((sample, position) => {
              for (let k = 0; k < features; k++) pixels[position * features + k] = data.pixels[sample * features + k] ?? 0;
            });
            yield {
              inputs: tf.tensor4d(pixels, [indices.length, height, width, channels]),
              labels: tf.tensor1d(indices.map((sample) => data.labels[sample] ?? 0), 'int32'),
            };
          }
        },
      };
    },
  };
}
