import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectDataDirectories } from './data-directories.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'robustfair-data-directories-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function touch(...parts: string[]): Promise<void> {
  const file = path.join(root, ...parts);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '');
}

describe(inspectDataDirectories, () => {
  it('says not-set for every dataset when no variable is set (an empty value counts as unset)', () => {
    const statuses = inspectDataDirectories({ ROBUSTFAIR_CIFAR10_DIR: '' });
    expect(statuses.map(({ dataset, variable, status }) => [dataset, variable, status])).toEqual([
      ['cifar10', 'ROBUSTFAIR_CIFAR10_DIR', 'not-set'],
      ['cifar100', 'ROBUSTFAIR_CIFAR100_DIR', 'not-set'],
      ['tiny-imagenet', 'ROBUSTFAIR_TINY_IMAGENET_DIR', 'not-set'],
    ]);
  });

  it('finds a complete directory, lists what an incomplete one lacks, and says not-found for a missing path', async () => {
    for (const file of ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin']) {
      await touch('cifar-10-batches-bin', file);
    }
    await touch('cifar-100-binary', 'train.bin');
    await touch('tiny-imagenet-200', 'wnids.txt');
    await touch('tiny-imagenet-200', 'train', 'n01443537', 'images', 'a.JPEG');
    await touch('tiny-imagenet-200', 'val', 'val_annotations.txt');
    const [cifar10, cifar100, tiny] = inspectDataDirectories({
      ROBUSTFAIR_CIFAR10_DIR: path.join(root, 'cifar-10-batches-bin'),
      ROBUSTFAIR_CIFAR100_DIR: path.join(root, 'cifar-100-binary'),
      ROBUSTFAIR_TINY_IMAGENET_DIR: path.join(root, 'tiny-imagenet-200'),
    });
    expect(cifar10).toEqual({ dataset: 'cifar10', name: 'CIFAR-10', variable: 'ROBUSTFAIR_CIFAR10_DIR', directory: path.join(root, 'cifar-10-batches-bin'), status: 'found' });
    expect(cifar100).toMatchObject({ status: 'incomplete', missing: ['test.bin'] });
    expect(tiny).toMatchObject({ status: 'found' });

    const elsewhere = path.join(root, 'nowhere');
    const [missing] = inspectDataDirectories({ ROBUSTFAIR_CIFAR10_DIR: elsewhere });
    expect(missing).toEqual({ dataset: 'cifar10', name: 'CIFAR-10', variable: 'ROBUSTFAIR_CIFAR10_DIR', directory: elsewhere, status: 'not-found' });
  });

  it('treats a file where a directory belongs as missing (the directory itself, or train/ of Tiny-ImageNet)', async () => {
    await touch('not-a-directory');
    await touch('tiny-flat', 'wnids.txt');
    await touch('tiny-flat', 'train');
    const [cifar10, , tiny] = inspectDataDirectories({
      ROBUSTFAIR_CIFAR10_DIR: path.join(root, 'not-a-directory'),
      ROBUSTFAIR_TINY_IMAGENET_DIR: path.join(root, 'tiny-flat'),
    });
    expect(cifar10?.status).toBe('not-found');
    expect(tiny).toMatchObject({ status: 'incomplete', missing: ['train/', 'val/val_annotations.txt'] });
  });
});
