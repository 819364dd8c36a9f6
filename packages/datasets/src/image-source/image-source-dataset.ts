import { createSeededRandom, deriveSeed } from '@robustfair/core';
import { type Batch, type BatchOptions, type Dataset, DatasetError, type Split } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { type Augmentation, drawAugmentations, toUnitPixels } from '../augmentation/augmentation.js';
import { emptyImageSource, type ImageSource } from './image-source.js';

/** What `createImageSourceDataset` needs. */
export interface ImageSourceDatasetOptions {
  readonly id: string;
  readonly numClasses: number;
  readonly classNames?: readonly string[];
  readonly splits: {
    readonly train: ImageSource;
    readonly validation?: ImageSource;
    readonly test?: ImageSource;
  };
  /** Applied to the train split only. */
  readonly augmentation?: Augmentation;
}

const splitNames: readonly Split[] = ['train', 'validation', 'test'];

/**
 * A dataset over image sources (uint8 records, JPEG files): each batch reads only its own images,
 * converts them to float32 pixels in [0, 1] and, on the train split, augments them.
 *
 * Order: `createSeededRandom(seed).permutation(size)` with `shuffle`, index order without.
 * Augmentation of batch b draws from `deriveSeed(seed, 'augmentation', b)` alone, so the same
 * batch options give the same images and another seed gives other crops and flips. The seed
 * drives augmentation even when `shuffle` is false (as a PyTorch train loader augments whatever
 * its order). Validation and test images are never augmented. The consumer owns every batch.
 */
export function createImageSourceDataset(options: ImageSourceDatasetOptions): Dataset {
  const { id, numClasses, augmentation } = options;
  const imageShape = options.splits.train.imageShape;
  const classNames = options.classNames ?? Array.from({ length: numClasses }, (_, index) => `class-${index}`);
  if (classNames.length !== numClasses) {
    throw new DatasetError(`dataset '${id}': classNames has ${classNames.length} entries but numClasses is ${numClasses}`);
  }
  const crop = augmentation?.crop;
  if (crop?.mode === 'reflect' && crop.padding >= Math.min(imageShape[0], imageShape[1])) {
    throw new DatasetError(
      `dataset '${id}': reflect padding ${crop.padding} must be smaller than the image (${imageShape[0]}×${imageShape[1]})`,
    );
  }
  const splits = new Map<Split, ImageSource>();
  for (const split of splitNames) {
    const source = options.splits[split] ?? emptyImageSource(imageShape);
    if (source.imageShape.join() !== imageShape.join()) {
      throw new DatasetError(`dataset '${id}': split '${split}' has images of shape [${source.imageShape.join(', ')}], train has [${imageShape.join(', ')}]`);
    }
    source.labels.forEach((label, index) => {
      if (label < 0 || label >= numClasses) {
        throw new DatasetError(`dataset '${id}', split '${split}': label at index ${index} is ${label}, expected an integer in [0, ${numClasses - 1}]`);
      }
    });
    splits.set(split, source);
  }
  const sourceOf = (split: Split) => splits.get(split) ?? emptyImageSource(imageShape);

  return {
    specificationVersion: 'v1',
    id,
    numClasses,
    classNames,
    inputShape: [imageShape[0], imageShape[1], imageShape[2]],
    size: (split) => sourceOf(split).size,
    labels: (split) => Array.from(sourceOf(split).labels),
    batches: (split, batchOptions) => {
      if (!Number.isInteger(batchOptions.batchSize) || batchOptions.batchSize <= 0) {
        throw new DatasetError(`dataset '${id}': batchSize must be a positive integer, got ${batchOptions.batchSize}`);
      }
      return iterateBatches(sourceOf(split), split === 'train' ? augmentation : undefined, batchOptions);
    },
  };
}

async function* iterateBatches(
  source: ImageSource,
  augmentation: Augmentation | undefined,
  { batchSize, shuffle, seed }: BatchOptions,
): AsyncGenerator<Batch, void, undefined> {
  if (source.size === 0) return;
  const order = shuffle ? createSeededRandom(seed).permutation(source.size) : Array.from({ length: source.size }, (_, index) => index);
  const [height, width, channels] = source.imageShape;
  for (let start = 0, batch = 0; start < source.size; start += batchSize, batch++) {
    const indices = order.slice(start, start + batchSize);
    const bytes = await source.read(indices);
    const pixels = toUnitPixels(
      bytes,
      indices.length,
      source.imageShape,
      augmentation && { options: augmentation, draws: drawAugmentations(indices.length, augmentation, deriveSeed(seed, 'augmentation', batch)) },
    );
    const labels = Int32Array.from(indices, (index) => source.labels[index] as number);
    // Tensors are made only when the consumer takes the batch, so breaking out early leaks nothing.
    yield {
      inputs: tf.tensor4d(pixels, [indices.length, height, width, channels], 'float32'),
      labels: tf.tensor1d(labels, 'int32'),
    };
  }
}
