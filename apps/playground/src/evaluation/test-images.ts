import { createPluginRegistry, deriveSeed, instantiatePlugin } from '@robustfair/core';
import { cifar10RecordFormat, createImageSourceDataset, createPlanarByteSource, parseCifarRecords, syntheticDatasetPlugin } from '@robustfair/datasets';
import { DatasetError, type Dataset } from '@robustfair/spec';
import type { ImageChoice } from './protocol.js';
import type { EvaluatedSpec } from './spec-file.js';

/**
 * The test images as a dataset whose `test` split the suite evaluates.
 * - `synthetic`: the spec's own synthetic dataset (same options and seed, so the same images
 *   the CLI's `eval` of that spec sees); for a spec trained on other data, a synthetic set of
 *   10 classes, 20 images each, at CIFAR's 32×32×3.
 * - `cifar10`: the first `count` records of a CIFAR-10 binary batch file, converted to [0, 1]
 *   pixels exactly as the CLI's `cifar10` dataset converts them (the same image source).
 */
export function loadTestImages(spec: EvaluatedSpec, choice: ImageChoice): Dataset {
  if (choice.kind === 'synthetic') {
    const registry = createPluginRegistry('dataset', [syntheticDatasetPlugin]);
    const own = spec.spec.dataset.id === 'synthetic';
    const dataset = own ? spec.spec.dataset : { id: 'synthetic', options: { numClasses: 10, imageSize: 32, channels: 3, trainPerClass: 0, validationPerClass: 0, testPerClass: 20 } };
    return instantiatePlugin(registry, dataset, { seed: deriveSeed(spec.spec.seed, 'dataset') }, 'dataset').instance;
  }
  if (!Number.isInteger(choice.count) || choice.count < 1) throw new DatasetError(`number of images: ${choice.count} is not a whole number of at least 1`);
  const records = parseCifarRecords(new Uint8Array(choice.file.bytes), choice.file.name, cifar10RecordFormat);
  if (choice.count > records.labels.length) {
    throw new DatasetError(`${choice.file.name} holds ${records.labels.length} images, fewer than the ${choice.count} asked for`);
  }
  const pixelsPerImage = records.pixels.length / records.labels.length;
  const imageShape = [32, 32, 3] as const;
  const test = createPlanarByteSource({ pixels: records.pixels.subarray(0, choice.count * pixelsPerImage), labels: records.labels.subarray(0, choice.count), imageShape });
  const train = createPlanarByteSource({ pixels: new Uint8Array(0), labels: new Int32Array(0), imageShape });
  return createImageSourceDataset({ id: 'cifar10', numClasses: 10, splits: { train, test } });
}
