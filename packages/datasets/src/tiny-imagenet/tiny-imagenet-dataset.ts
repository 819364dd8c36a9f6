import { parseOptions } from '@robustfair/core';
import type { Dataset, PluginContext } from '@robustfair/spec';
import { z } from 'zod';
import { augmentationOf, assembleSplits, fileDatasetOptionsShape } from '../directory/file-dataset-options.js';
import { resolveDatasetDirectory } from '../directory/dataset-directory.js';
import { createImageSourceDataset } from '../image-source/image-source-dataset.js';
import { createJpegFileSource } from '../image-source/jpeg-file-source.js';
import { readTinyImagenetLayout } from './tiny-imagenet-layout.js';

/** Environment variable read when the Tiny-ImageNet `directory` option is omitted. */
export const tinyImagenetDirectoryVariable = 'ROBUSTFAIR_TINY_IMAGENET_DIR';

/**
 * Options of the `tiny-imagenet` dataset (zod, strict). No `download`: the official archive is
 * a zip, and this package extracts only tar archives.
 */
export const tinyImagenetDatasetOptionsSchema = z.strictObject({
  ...fileDatasetOptionsShape,
  /** Height and width every image must have (64 in the official release). */
  imageSize: z.number().int().min(1).default(64).describe('Height and width every image must have (64 in the official release).'),
});

/** Raw `tiny-imagenet` options as written in a config. */
export type TinyImagenetDatasetInput = z.input<typeof tinyImagenetDatasetOptionsSchema>;
/** Parsed `tiny-imagenet` options. */
export type TinyImagenetDatasetOptions = z.output<typeof tinyImagenetDatasetOptionsSchema>;

/**
 * Tiny-ImageNet (200 classes, 64×64 RGB) from its folder layout (`tiny-imagenet-200/`): the
 * 100,000 `train/<wnid>/images` JPEGs are the train split and the 10,000 labelled `val/` images
 * the test split (the official test images have no labels); `validation` takes a split out of
 * train as for CIFAR. Classes are numbered in `wnids.txt` order, named from `words.txt`. JPEGs
 * are decoded with jpeg-js batch by batch, so memory holds file names only (decoding is then
 * repeated every epoch). Options: `directory` (else `ROBUSTFAIR_TINY_IMAGENET_DIR`),
 * `validation`, `augmentation`, `subset`, `imageSize`.
 */
export function createTinyImagenetDataset(input: TinyImagenetDatasetInput = {}, context: PluginContext = { seed: 0 }): Dataset {
  const options = parseOptions(tinyImagenetDatasetOptionsSchema, input, 'tiny-imagenet dataset options');
  const directory = resolveDatasetDirectory('tiny-imagenet', options.directory, tinyImagenetDirectoryVariable);
  const layout = readTinyImagenetLayout(directory);
  const imageShape = [options.imageSize, options.imageSize, 3] as const;
  const splits = assembleSplits({
    train: createJpegFileSource({ ...layout.train, imageShape }),
    test: createJpegFileSource({ ...layout.validation, imageShape }),
    numClasses: layout.wnids.length,
    validation: options.validation,
    subset: options.subset,
    seed: context.seed,
  });
  return createImageSourceDataset({
    id: 'tiny-imagenet',
    numClasses: layout.wnids.length,
    classNames: layout.classNames,
    splits,
    ...augmentationOf(options),
  });
}
