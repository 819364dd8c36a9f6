import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseOptions } from '@robustfair/core';
import { type Dataset, DatasetError, type PluginContext } from '@robustfair/spec';
import { z } from 'zod';
import { augmentationOf, assembleSplits, fileDatasetOptionsShape } from '../directory/file-dataset-options.js';
import { checkDatasetFiles } from '../directory/check-dataset-files.js';
import { resolveDatasetDirectory } from '../directory/dataset-directory.js';
import { cifarArchives, createProgressPrinter, downloadCifarArchive } from '../download/cifar-archives.js';
import type { DownloadProgress } from '../download/download-file.js';
import { createImageSourceDataset } from '../image-source/image-source-dataset.js';
import { createPlanarByteSource } from '../image-source/planar-byte-source.js';
import { type CifarDirectory, cifar100FileNames, cifar10FileNames, readCifar100Directory, readCifar10Directory } from './cifar-directories.js';

/** Environment variable read when the CIFAR-10 `directory` option is omitted. */
export const cifar10DirectoryVariable = 'ROBUSTFAIR_CIFAR10_DIR';
/** Environment variable read when the CIFAR-100 `directory` option is omitted. */
export const cifar100DirectoryVariable = 'ROBUSTFAIR_CIFAR100_DIR';

const download = z
  .boolean()
  .default(false)
  .describe('Fetch the official archive (about 170 MB, md5-checked) into the directory when the files are missing.');

/** Options of the `cifar10` dataset (zod, strict). */
export const cifar10DatasetOptionsSchema = z.strictObject({
  ...fileDatasetOptionsShape,
  /** Fetch the official archive when the files are missing (see `prepareCifarDataset`). */
  download,
});

/** Options of the `cifar100` dataset (zod, strict): the CIFAR-10 ones plus the label set. */
export const cifar100DatasetOptionsSchema = z.strictObject({
  ...fileDatasetOptionsShape,
  download,
  /** `fine`: the 100 classes (default, what the papers use); `coarse`: the 20 superclasses. */
  labels: z.enum(['fine', 'coarse']).default('fine').describe('`fine`: the 100 classes (default, what the papers use); `coarse`: the 20 superclasses.'),
});

/** Raw `cifar10` options as written in a config. */
export type Cifar10DatasetInput = z.input<typeof cifar10DatasetOptionsSchema>;
/** Parsed `cifar10` options. */
export type Cifar10DatasetOptions = z.output<typeof cifar10DatasetOptionsSchema>;
/** Raw `cifar100` options as written in a config. */
export type Cifar100DatasetInput = z.input<typeof cifar100DatasetOptionsSchema>;
/** Parsed `cifar100` options. */
export type Cifar100DatasetOptions = z.output<typeof cifar100DatasetOptionsSchema>;

type CifarVariant = keyof typeof cifarArchives;

const variants = {
  cifar10: { name: 'CIFAR-10', variable: cifar10DirectoryVariable, files: [...cifar10FileNames.train, cifar10FileNames.test] },
  cifar100: { name: 'CIFAR-100', variable: cifar100DirectoryVariable, files: [cifar100FileNames.train, cifar100FileNames.test] },
} as const;

const missingFiles = (variant: CifarVariant, directory: string) => variants[variant].files.filter((file) => !existsSync(join(directory, file)));

function createCifarDataset(variant: CifarVariant, options: Cifar100DatasetOptions | Cifar10DatasetOptions, context: PluginContext): Dataset {
  const directory = resolveDatasetDirectory(variant, options.directory, variants[variant].variable);
  if (options.download && missingFiles(variant, directory).length > 0) {
    throw new DatasetError(
      `dataset '${variant}': ${missingFiles(variant, directory).join(', ')} missing in '${directory}'. ` +
        `download: true fetches them in an asynchronous step that must run before the dataset is created: ` +
        `await prepareCifarDataset('${variant}', options) (the plugin's prepare)`,
    );
  }
  const data: CifarDirectory =
    variant === 'cifar10' ? readCifar10Directory(directory) : readCifar100Directory(directory, 'labels' in options ? options.labels : 'fine');
  const imageShape = [32, 32, 3] as const;
  const splits = assembleSplits({
    train: createPlanarByteSource({ pixels: data.train.pixels, labels: data.train.labels, imageShape }),
    test: createPlanarByteSource({ pixels: data.test.pixels, labels: data.test.labels, imageShape }),
    numClasses: data.numClasses,
    validation: options.validation,
    subset: options.subset,
    seed: context.seed,
  });
  return createImageSourceDataset({
    id: variant,
    numClasses: data.numClasses,
    ...(data.classNames && { classNames: data.classNames }),
    splits,
    ...augmentationOf(options),
  });
}

/**
 * CIFAR-10 from a local binary-version directory (`data_batch_1..5.bin`, `test_batch.bin`):
 * 50,000 train and 10,000 test 32×32 RGB images, 10 classes, yielded as [0, 1] pixels (mean/std
 * normalisation belongs to the model wrapper). The uint8 records stay in memory (~184 MB for
 * all 60,000 images) and are converted batch by batch. Options: `directory` (else
 * `ROBUSTFAIR_CIFAR10_DIR`), `validation`, `augmentation` (train only), `subset`, `download`.
 * `context.seed` seeds a `random` validation split that has no seed of its own.
 *
 * @example
 * const dataset = createCifar10Dataset({ directory: 'data/cifar-10-batches-bin',
 *   validation: { perClass: 100, take: 'first' }, augmentation: { crop: { padding: 4, mode: 'reflect' }, flip: true } });
 */
export function createCifar10Dataset(input: Cifar10DatasetInput = {}, context: PluginContext = { seed: 0 }): Dataset {
  return createCifarDataset('cifar10', parseOptions(cifar10DatasetOptionsSchema, input, 'cifar10 dataset options'), context);
}

/**
 * CIFAR-100 from a local binary-version directory (`train.bin`, `test.bin`, 3074-byte records
 * with a coarse and a fine label byte): 50,000 / 10,000 images, 100 fine classes (or 20 coarse
 * with `labels: 'coarse'`). Otherwise as `createCifar10Dataset`; the directory variable is
 * `ROBUSTFAIR_CIFAR100_DIR`.
 */
export function createCifar100Dataset(input: Cifar100DatasetInput = {}, context: PluginContext = { seed: 0 }): Dataset {
  return createCifarDataset('cifar100', parseOptions(cifar100DatasetOptionsSchema, input, 'cifar100 dataset options'), context);
}

/**
 * The asynchronous step `download: true` needs (a plugin's `create` is synchronous): when the
 * files are missing, downloads the official archive into the directory (resumable, md5
 * verified, progress to `onProgress`, by default a line on stderr every 10%). Does nothing when
 * the files are there or `download` is false. Resolves to the directory.
 */
export async function prepareCifarDataset(
  variant: CifarVariant,
  input: Cifar10DatasetInput | Cifar100DatasetInput,
  { onProgress, url, md5 }: { onProgress?: (progress: DownloadProgress) => void; url?: string; md5?: string } = {},
): Promise<string> {
  const schema = variant === 'cifar10' ? cifar10DatasetOptionsSchema : cifar100DatasetOptionsSchema;
  const options = parseOptions(schema, input, `${variant} dataset options`);
  const directory = resolveDatasetDirectory(variant, options.directory, variants[variant].variable);
  if (!options.download || missingFiles(variant, directory).length === 0) return directory;
  await downloadCifarArchive({
    dataset: variant,
    directory,
    onProgress: onProgress ?? createProgressPrinter(`downloading ${variants[variant].name}`),
    ...(url !== undefined && { url }),
    ...(md5 !== undefined && { md5 }),
  });
  const stillMissing = missingFiles(variant, directory);
  if (stillMissing.length > 0) {
    throw new DatasetError(`dataset '${variant}': the archive was extracted into '${directory}' but ${stillMissing.join(', ')} are missing`);
  }
  return directory;
}

/**
 * What would stop a `cifar10` / `cifar100` run for want of files, without reading them (for
 * `robustfair validate`): each line names what is missing and how to get it; empty when the
 * files are there or `download: true` will fetch them.
 */
export function checkCifarFiles(variant: CifarVariant, input: Cifar10DatasetInput | Cifar100DatasetInput): readonly string[] {
  const schema = variant === 'cifar10' ? cifar10DatasetOptionsSchema : cifar100DatasetOptionsSchema;
  const options = parseOptions(schema, input, `${variant} dataset options`);
  const archive = cifarArchives[variant];
  const megabytes = Math.round(archive.bytes / 1e6);
  return checkDatasetFiles({
    datasetId: variant,
    directory: options.directory,
    environmentVariable: variants[variant].variable,
    files: variants[variant].files,
    howToGet: `the files are the ${archive.folder}/ folder of ${archive.url}; "download": true fetches it (${megabytes} MB) into the directory on the first run`,
    fetchedByPrepare: options.download,
  });
}
