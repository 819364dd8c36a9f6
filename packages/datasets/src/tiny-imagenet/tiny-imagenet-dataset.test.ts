import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Dataset, DatasetError, type Split } from '@robustfair/spec';
import { describeDataset } from '@robustfair/testkit';
import { encode } from 'jpeg-js';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinDatasets } from '../builtin-datasets.js';
import { createTinyImagenetDataset, tinyImagenetDirectoryVariable } from './tiny-imagenet-dataset.js';
import { tinyImagenetDatasetPlugin } from './tiny-imagenet-plugin.js';

// A tiny Tiny-ImageNet: 3 classes, 8×8 flat-colour JPEGs written with jpeg-js's encoder.
// Training image k of class c has the colour (40 + 60c, 20 + 15k, 200 − 10k); the file numbers
// 0, 1, 2, 10 check that "first by index" follows numeric, not lexical, order.
const size = 8;
const wnids = ['n01443537', 'n01629819', 'n01641577'];
const trainNumbers = [0, 1, 2, 10];
const colour = (label: number, k: number) => [40 + 60 * label, 20 + 15 * k, 200 - 10 * k] as const;
const validation = [
  ['val_0.JPEG', 2],
  ['val_1.JPEG', 0],
  ['val_2.JPEG', 1],
  ['val_3.JPEG', 2],
] as const;

const root = mkdtempSync(join(tmpdir(), 'robustfair-tiny-imagenet-'));
const directory = join(root, 'tiny-imagenet-200');

function writeJpeg(file: string, [red, green, blue]: readonly number[], width = size, height = size): void {
  const data = Buffer.alloc(width * height * 4);
  for (let pixel = 0; pixel < width * height; pixel++) data.set([red!, green!, blue!, 255], pixel * 4);
  writeFileSync(file, encode({ data, width, height }, 95).data);
}

function writeFixture(target: string): void {
  mkdirSync(join(target, 'val', 'images'), { recursive: true });
  writeFileSync(join(target, 'wnids.txt'), `${wnids.join('\n')}\n`);
  writeFileSync(join(target, 'words.txt'), `${wnids[0]}\tgoldfish, Carassius auratus\n${wnids[1]}\tEuropean fire salamander, Salamandra salamandra\nn99999999\tunused\n`);
  wnids.forEach((wnid, label) => {
    const folder = join(target, 'train', wnid, 'images');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(target, 'train', wnid, `${wnid}_boxes.txt`), '');
    for (const k of trainNumbers) writeJpeg(join(folder, `${wnid}_${k}.JPEG`), colour(label, k));
  });
  writeFileSync(join(target, 'val', 'val_annotations.txt'), validation.map(([file, label]) => `${file}\t${wnids[label]}\t0\t0\t7\t7`).join('\n'));
  validation.forEach(([file, label], index) => writeJpeg(join(target, 'val', 'images', file), colour(label, 3 + index)));
}

writeFixture(directory);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Mean of each channel of image `index` of the first batch, on the 0–255 scale. */
async function meanColours(dataset: Dataset, split: Split): Promise<number[][]> {
  const colours: number[][] = [];
  for await (const batch of dataset.batches(split, { batchSize: 64, shuffle: false, seed: 0 })) {
    const values = await batch.inputs.data();
    for (let image = 0; image < batch.inputs.shape[0]; image++) {
      const sums = [0, 0, 0];
      for (let pixel = 0; pixel < size * size; pixel++) for (let channel = 0; channel < 3; channel++) sums[channel]! += values[(image * size * size + pixel) * 3 + channel]!;
      colours.push(sums.map((sum) => (255 * sum) / (size * size)));
    }
    batch.inputs.dispose();
    batch.labels.dispose();
  }
  return colours;
}

describeDataset('tiny-imagenet (fixture)', () => createTinyImagenetDataset({ directory, imageSize: size }));
describeDataset(
  'tiny-imagenet (fixture) with a last-per-class validation split and augmentation',
  () => createTinyImagenetDataset({ directory, imageSize: size, validation: { perClass: 1, take: 'last' }, augmentation: { crop: { padding: 2 }, flip: true } }),
  { augmentsTrain: true },
);

describe(createTinyImagenetDataset, () => {
  it('numbers classes in wnids.txt order, names them from words.txt, and uses val/ as the test split', () => {
    const dataset = createTinyImagenetDataset({ directory, imageSize: size });
    expect(dataset.numClasses).toBe(3);
    expect(dataset.classNames).toEqual(['goldfish', 'European fire salamander', 'n01641577']);
    expect(dataset.inputShape).toEqual([size, size, 3]);
    expect(dataset.labels('train')).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(dataset.labels('test')).toEqual([2, 0, 1, 2]);
    expect(dataset.size('validation')).toBe(0);
  });

  it('decodes the JPEGs to the colours they were encoded with (within JPEG rounding), files in numeric order', async () => {
    const dataset = createTinyImagenetDataset({ directory, imageSize: size });
    const train = await meanColours(dataset, 'train');
    const expected = wnids.flatMap((_, label) => trainNumbers.map((k) => colour(label, k)));
    train.forEach((actual, index) => actual.forEach((value, channel) => expect(Math.abs(value - expected[index]![channel]!), `image ${index}`).toBeLessThan(3)));
    const test = await meanColours(dataset, 'test');
    test.forEach((actual, index) => actual.forEach((value, channel) => expect(Math.abs(value - colour(validation[index]![1], 3 + index)[channel]!)).toBeLessThan(3)));
  });

  it("takes a 'first' validation split by numeric file order and a subset of the first per class", () => {
    const split = createTinyImagenetDataset({ directory, imageSize: size, validation: { perClass: 1 }, subset: { perClass: 3, testPerClass: 1 } });
    expect(split.labels('validation')).toEqual([0, 1, 2]);
    expect(split.labels('train')).toEqual([0, 0, 1, 1, 2, 2]);
    expect(split.labels('test')).toEqual([2, 0, 1]);
  });

  describe('names the file and what was expected', () => {
    const broken = (change: (target: string) => void) => {
      const target = mkdtempSync(join(root, 'broken-'));
      writeFixture(target);
      change(target);
      return target;
    };

    it('for a missing wnids.txt', () => {
      const target = broken((path) => rmSync(join(path, 'wnids.txt')));
      expect(() => createTinyImagenetDataset({ directory: target, imageSize: size })).toThrow(/Tiny-ImageNet: file '.*wnids\.txt' not found/);
    });

    it('for a class without a training folder', () => {
      const target = broken((path) => rmSync(join(path, 'train', wnids[1]!), { recursive: true }));
      expect(() => createTinyImagenetDataset({ directory: target, imageSize: size })).toThrow(/directory '.*n01629819.images' not found \(expected the training JPEGs of class 1/);
    });

    it('for an annotation naming an unknown wnid', () => {
      const target = broken((path) => writeFileSync(join(path, 'val', 'val_annotations.txt'), 'val_0.JPEG\tn00000000\t0\t0\t1\t1\n'));
      expect(() => createTinyImagenetDataset({ directory: target, imageSize: size })).toThrow(/val_annotations\.txt' line 1: expected .* wnids\.txt, got 'val_0\.JPEG/);
    });

    it('for an image of the wrong size, when a batch reads it', async () => {
      const target = broken((path) => writeJpeg(join(path, 'val', 'images', 'val_2.JPEG'), [0, 0, 0], 6, 8));
      const dataset = createTinyImagenetDataset({ directory: target, imageSize: size });
      const read = async () => {
        for await (const batch of dataset.batches('test', { batchSize: 4, shuffle: false, seed: 0 })) {
          batch.inputs.dispose();
          batch.labels.dispose();
        }
      };
      await expect(read()).rejects.toThrow(DatasetError);
      await expect(read()).rejects.toThrow(/JPEG file '.*val_2\.JPEG' is 6×8, expected 8×8/);
    });

    it('for a missing directory option and variable', () => {
      const saved = process.env[tinyImagenetDirectoryVariable];
      delete process.env[tinyImagenetDirectoryVariable];
      try {
        expect(() => createTinyImagenetDataset()).toThrow(/option 'directory' or the environment variable ROBUSTFAIR_TINY_IMAGENET_DIR/);
      } finally {
        if (saved !== undefined) process.env[tinyImagenetDirectoryVariable] = saved;
      }
    });
  });

  it("is the 'tiny-imagenet' plugin in builtinDatasets", () => {
    expect(builtinDatasets).toContain(tinyImagenetDatasetPlugin);
    expect(tinyImagenetDatasetPlugin.id).toBe('tiny-imagenet');
    expect(tinyImagenetDatasetPlugin.optionsSchema.safeParse({ download: true }).success).toBe(false);
  });
});
