// @robustfair/datasets: synthetic and in-memory datasets, per-class splits, augmentation and
// the CIFAR binary layout on bytes; loads in a browser (no Node built-in). Datasets read from
// local files (CIFAR-10/100, Tiny-ImageNet), the built-in plugin list and the verified CIFAR
// download are in `@robustfair/datasets/node`.
export {
  createInMemoryDataset,
  type InMemoryDatasetOptions,
  type InMemorySplit,
} from './in-memory/in-memory-dataset.js';
export {
  createSyntheticDataset,
  defaultDifficulty,
  syntheticDatasetOptionsSchema,
  type SyntheticDatasetInput,
  type SyntheticDatasetOptions,
} from './synthetic/synthetic-dataset.js';
export { syntheticDatasetPlugin } from './synthetic/synthetic-dataset-plugin.js';
export {
  perClassSplitSchema,
  splitPerClass,
  firstPerClass,
  type PerClassSplit,
  type PerClassSplitIndices,
  type PerClassSplitInput,
} from './splits/per-class-split.js';
export {
  augmentationSchema,
  drawAugmentations,
  toUnitPixels,
  type Augmentation,
  type AugmentationInput,
  type ImageAugmentation,
} from './augmentation/augmentation.js';
export { createImageSourceDataset, type ImageSourceDatasetOptions } from './image-source/image-source-dataset.js';
export { selectImages, type ImageSource } from './image-source/image-source.js';
export { createPlanarByteSource, type PlanarByteSourceOptions } from './image-source/planar-byte-source.js';
export {
  cifar10RecordFormat,
  cifarImageBytes,
  cifarRecordCount,
  parseCifarRecords,
  type CifarRecordFormat,
  type CifarRecords,
} from './cifar/cifar-records.js';
