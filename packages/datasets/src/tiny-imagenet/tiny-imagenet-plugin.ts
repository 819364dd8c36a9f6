import { type DatasetPlugin, defineDatasetPlugin } from '@robustfair/spec';
import { checkDatasetFiles } from '../directory/check-dataset-files.js';
import { createTinyImagenetDataset, tinyImagenetDirectoryVariable, type TinyImagenetDatasetOptions, tinyImagenetDatasetOptionsSchema } from './tiny-imagenet-dataset.js';

/** `'tiny-imagenet'`: Tiny-ImageNet from its folder layout (see `createTinyImagenetDataset`). */
export const tinyImagenetDatasetPlugin: DatasetPlugin<TinyImagenetDatasetOptions> = defineDatasetPlugin({
  kind: 'dataset',
  id: 'tiny-imagenet',
  specificationVersion: 'v1',
  summary: 'Tiny-ImageNet (200 classes, 64×64 RGB) from its folder layout, JPEGs decoded per batch; val/ is the test split.',
  reference: { title: 'Tiny ImageNet Visual Recognition Challenge (Le & Yang, CS231N)', year: 2015, url: 'http://cs231n.stanford.edu/tiny-imagenet-200.zip' },
  optionsSchema: tinyImagenetDatasetOptionsSchema,
  create: (options, context) => createTinyImagenetDataset(options, context),
  checkFiles: (options) =>
    checkDatasetFiles({
      datasetId: 'tiny-imagenet',
      directory: options.directory,
      environmentVariable: tinyImagenetDirectoryVariable,
      files: ['wnids.txt', 'train', 'val/val_annotations.txt'],
      howToGet: 'the files are the tiny-imagenet-200/ folder of http://cs231n.stanford.edu/tiny-imagenet-200.zip (download and unzip it; there is no download option)',
    }),
});
