// `@robustfair/datasets/node`: the datasets read from local files (CIFAR-10/100, Tiny-ImageNet),
// the built-in plugin list (which includes them), the data-directory check and the verified
// CIFAR download. They need Node's file system; the main entry never imports from here.
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
} from '../cifar/cifar-datasets.js';
export { cifar100DatasetPlugin, cifar10DatasetPlugin, type PreparableDatasetPlugin } from '../cifar/cifar-plugins.js';
export {
  cifar100FileNames,
  cifar10FileNames,
  readCifar100Directory,
  readCifar10Directory,
  type CifarDirectory,
} from '../cifar/cifar-directories.js';
export { readCifarRecords } from '../cifar/cifar-binary-files.js';
export {
  createTinyImagenetDataset,
  tinyImagenetDatasetOptionsSchema,
  tinyImagenetDirectoryVariable,
  type TinyImagenetDatasetInput,
  type TinyImagenetDatasetOptions,
} from '../tiny-imagenet/tiny-imagenet-dataset.js';
export { tinyImagenetDatasetPlugin } from '../tiny-imagenet/tiny-imagenet-plugin.js';
export { createJpegFileSource, type JpegFileSourceOptions } from '../image-source/jpeg-file-source.js';
export { cifarArchives, createProgressPrinter, downloadCifarArchive, type DownloadCifarArchiveOptions } from '../download/cifar-archives.js';
export { downloadFile, md5OfFile, type DownloadFileOptions, type DownloadProgress } from '../download/download-file.js';
export { builtinDatasets } from '../builtin-datasets.js';
export { inspectDataDirectories, type DataDirectoryStatus } from '../directory/data-directories.js';
