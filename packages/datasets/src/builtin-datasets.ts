import type { DatasetPlugin } from '@robustfair/spec';
import { cifar100DatasetPlugin, cifar10DatasetPlugin } from './cifar/cifar-plugins.js';
import { syntheticDatasetPlugin } from './synthetic/synthetic-dataset-plugin.js';
import { tinyImagenetDatasetPlugin } from './tiny-imagenet/tiny-imagenet-plugin.js';

/**
 * Every dataset plugin this package provides: the one place to add one. The in-memory dataset
 * is not a plugin because its data cannot come from a JSON config.
 */
export const builtinDatasets: readonly DatasetPlugin[] = [
  syntheticDatasetPlugin,
  cifar10DatasetPlugin,
  cifar100DatasetPlugin,
  tinyImagenetDatasetPlugin,
];
