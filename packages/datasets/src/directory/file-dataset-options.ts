import { deriveSeed } from '@robustfair/core';
import { z } from 'zod';
import { type Augmentation, augmentationSchema } from '../augmentation/augmentation.js';
import { type ImageSource, selectImages } from '../image-source/image-source.js';
import { firstPerClass, type PerClassSplit, perClassSplitSchema, splitPerClass } from '../splits/per-class-split.js';

/** A smaller, still balanced copy of the data for CPU-sized runs: the first images of each class. */
export const subsetSchema = z.strictObject({
  /** Training images kept per class (before the validation split is taken out of them). */
  perClass: z.number().int().min(1).describe('Training images kept per class (before the validation split is taken out of them).'),
  /** Test images kept per class; default `perClass`. */
  testPerClass: z.number().int().min(1).optional().describe('Test images kept per class; default `perClass`.'),
});

/** Options every dataset read from files shares (zod shape, spread into each plugin's schema). */
export const fileDatasetOptionsShape = {
  /** Where the files are; default from the dataset's environment variable. */
  directory: z.string().min(1).optional().describe('Where the files are; default the dataset\'s environment variable (ROBUSTFAIR_CIFAR10_DIR, ROBUSTFAIR_CIFAR100_DIR, ROBUSTFAIR_TINY_IMAGENET_DIR).'),
  /** Validation split taken out of the training split; none when omitted. */
  validation: perClassSplitSchema.optional().describe('Validation split taken out of the training split; none when omitted.'),
  /** Train-split augmentation; none when omitted. */
  augmentation: augmentationSchema.optional().describe('Train-split augmentation; none when omitted.'),
  /** Keep only the first images of each class (train and test). */
  subset: subsetSchema.optional().describe('Keep only the first images of each class (train and test), e.g. { "perClass": 500 }: a smaller, still balanced copy for CPU-sized runs.'),
};

/** The three sources a file dataset serves. */
export interface AssembledSplits {
  readonly train: ImageSource;
  readonly validation: ImageSource;
  readonly test: ImageSource;
}

/** What `assembleSplits` needs. */
export interface AssembleSplitsOptions {
  readonly train: ImageSource;
  readonly test: ImageSource;
  readonly numClasses: number;
  readonly validation?: PerClassSplit | undefined;
  readonly subset?: z.output<typeof subsetSchema> | undefined;
  /** The run's seed; a random validation split without its own seed derives one from it. */
  readonly seed: number;
}

/**
 * Applies `subset` (first N per class of train and test), then moves the validation split out
 * of what is left of train. Only index lists are built: the pixels stay in the sources.
 */
export function assembleSplits({ train, test, numClasses, validation, subset, seed }: AssembleSplitsOptions): AssembledSplits {
  const smallTrain = subset ? selectImages(train, firstPerClass(train.labels, numClasses, subset.perClass)) : train;
  const smallTest = subset ? selectImages(test, firstPerClass(test.labels, numClasses, subset.testPerClass ?? subset.perClass)) : test;
  if (validation === undefined) return { train: smallTrain, validation: selectImages(smallTrain, []), test: smallTest };
  const { kept, taken } = splitPerClass(smallTrain.labels, numClasses, validation, validation.seed ?? deriveSeed(seed, 'validation-split'));
  return { train: selectImages(smallTrain, kept), validation: selectImages(smallTrain, taken), test: smallTest };
}

/** The parsed augmentation, or undefined: a helper so `exactOptionalPropertyTypes` stays quiet. */
export const augmentationOf = (options: { readonly augmentation?: Augmentation | undefined }) =>
  options.augmentation === undefined ? {} : { augmentation: options.augmentation };
