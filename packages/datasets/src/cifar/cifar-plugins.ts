import { type DatasetPlugin, defineDatasetPlugin } from '@robustfair/spec';
import {
  type Cifar100DatasetOptions,
  cifar100DatasetOptionsSchema,
  type Cifar10DatasetOptions,
  cifar10DatasetOptionsSchema,
  checkCifarFiles,
  createCifar100Dataset,
  createCifar10Dataset,
  prepareCifarDataset,
} from './cifar-datasets.js';

/**
 * A dataset plugin with an asynchronous step to run before `create` (a download). `create` is
 * synchronous by contract, so whoever instantiates the plugin awaits `prepare(options)` first.
 */
export type PreparableDatasetPlugin<Options> = DatasetPlugin<Options> & {
  /** Makes the files `create` reads available (downloads them when asked to); idempotent. */
  prepare(options: Options): Promise<void>;
};

const reference = {
  title: 'Learning Multiple Layers of Features from Tiny Images (Krizhevsky, technical report)',
  year: 2009,
  url: 'https://www.cs.toronto.edu/~kriz/cifar.html',
} as const;

/** `'cifar10'`: CIFAR-10 from a local binary-version directory (see `createCifar10Dataset`). */
export const cifar10DatasetPlugin: PreparableDatasetPlugin<Cifar10DatasetOptions> = {
  ...defineDatasetPlugin({
    kind: 'dataset',
    id: 'cifar10',
    specificationVersion: 'v1',
    summary: 'CIFAR-10 (binary version) from a local directory, 32×32 RGB, 10 classes; splits, augmentation, optional download.',
    reference,
    optionsSchema: cifar10DatasetOptionsSchema,
    create: (options, context) => createCifar10Dataset(options, context),
  }),
  prepare: async (options) => {
    await prepareCifarDataset('cifar10', options);
  },
  checkFiles: (options) => checkCifarFiles('cifar10', options),
};

/** `'cifar100'`: CIFAR-100 from a local binary-version directory (see `createCifar100Dataset`). */
export const cifar100DatasetPlugin: PreparableDatasetPlugin<Cifar100DatasetOptions> = {
  ...defineDatasetPlugin({
    kind: 'dataset',
    id: 'cifar100',
    specificationVersion: 'v1',
    summary: 'CIFAR-100 (binary version) from a local directory, 32×32 RGB, 100 fine or 20 coarse classes.',
    reference,
    optionsSchema: cifar100DatasetOptionsSchema,
    create: (options, context) => createCifar100Dataset(options, context),
  }),
  prepare: async (options) => {
    await prepareCifarDataset('cifar100', options);
  },
  checkFiles: (options) => checkCifarFiles('cifar100', options),
};
