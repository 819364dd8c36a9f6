// @robustfair/datasets: synthetic and in-memory datasets, CIFAR-10/100 and Tiny-ImageNet from
// local files, per-class splits, augmentation, and a verified, resumable CIFAR download.
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
  cifar100DatasetOptionsSchema,
  cifar100DirectoryVariable,
  cifar10DatasetOptionsSchema,
  cifar10DirectoryVariable,
  createCifar100Dataset,
  createCifar10Dataset,
  prepareCifarDataset,
  type Cifar100DatasetInput,
  type Cifar100DatasetOptions,
  type Cifar10DatasetInput,
  type Cifar10DatasetOptions,
} from './cifar/cifar-datasets.js';
export { cifar100DatasetPlugin, cifar10DatasetPlugin, type PreparableDatasetPlugin } from './cifar/cifar-plugins.js';
export {
  cifar100FileNames,
  cifar10FileNames,
  readCifar100Directory,
  readCifar10Directory,
  type CifarDirectory,
} from './cifar/cifar-directories.js';
export { readCifarRecords, type CifarRecordFormat, type CifarRecords } from './cifar/cifar-binary-files.js';
export {
  createTinyImagenetDataset,
  tinyImagenetDatasetOptionsSchema,
  tinyImagenetDirectoryVariable,
  type TinyImagenetDatasetInput,
  type TinyImagenetDatasetOptions,
} from './tiny-imagenet/tiny-imagenet-dataset.js';
export { tinyImagenetDatasetPlugin } from './tiny-imagenet/tiny-imagenet-plugin.js';
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
export { createJpegFileSource, type JpegFileSourceOptions } from './image-source/jpeg-file-source.js';
export { cifarArchives, createProgressPrinter, downloadCifarArchive, type DownloadCifarArchiveOptions } from './download/cifar-archives.js';
export { downloadFile, md5OfFile, type DownloadFileOptions, type DownloadProgress } from './download/download-file.js';
export { builtinDatasets } from './builtin-datasets.js';
export { inspectDataDirectories, type DataDirectoryStatus } from './directory/data-directories.js';
