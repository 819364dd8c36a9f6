import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cifar10DatasetOptionsSchema } from '../cifar/cifar-datasets.js';
import { cifar10DatasetPlugin } from '../cifar/cifar-plugins.js';
import { tinyImagenetDatasetOptionsSchema } from '../tiny-imagenet/tiny-imagenet-dataset.js';
import { tinyImagenetDatasetPlugin } from '../tiny-imagenet/tiny-imagenet-plugin.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'robustfair-check-files-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const cifar10 = (input: object) => cifar10DatasetPlugin.checkFiles?.(cifar10DatasetOptionsSchema.parse(input)) ?? ['no checkFiles'];
const cifar10Files = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin'];

describe('the file datasets\' checkFiles (what robustfair validate reports)', () => {
  it('cifar10: a missing directory is named, with where the files come from and the download option', () => {
    const [problem, ...rest] = cifar10({ directory: path.join(root, 'nowhere') });
    expect(rest).toEqual([]);
    expect(problem).toContain(`directory '${path.join(root, 'nowhere')}' not found`);
    expect(problem).toContain('https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz');
    expect(problem).toContain('"download": true');
  });

  it('cifar10: no directory option and no ROBUSTFAIR_CIFAR10_DIR names the variable', () => {
    const saved = process.env['ROBUSTFAIR_CIFAR10_DIR'];
    delete process.env['ROBUSTFAIR_CIFAR10_DIR'];
    try {
      expect(cifar10({})[0]).toContain("no data directory: set the option 'directory' or the environment variable ROBUSTFAIR_CIFAR10_DIR");
    } finally {
      if (saved !== undefined) process.env['ROBUSTFAIR_CIFAR10_DIR'] = saved;
    }
  });

  it('cifar10: lists the missing files, nothing once they are all there, nothing when download will fetch them', async () => {
    const directory = path.join(root, 'cifar10');
    await mkdir(directory, { recursive: true });
    await writeFile(path.join(directory, 'data_batch_1.bin'), '');
    expect(cifar10({ directory })[0]).toContain(`'${directory}' has no ${cifar10Files.slice(1).join(', ')}`);
    expect(cifar10({ directory, download: true })).toEqual([]);
    for (const file of cifar10Files) await writeFile(path.join(directory, file), '');
    expect(cifar10({ directory })).toEqual([]);
  });

  it('tiny-imagenet: names what is missing and where the archive is', async () => {
    const directory = path.join(root, 'tiny-imagenet-200');
    await mkdir(path.join(directory, 'train'), { recursive: true });
    const check = (input: object) => tinyImagenetDatasetPlugin.checkFiles?.(tinyImagenetDatasetOptionsSchema.parse(input)) ?? ['no checkFiles'];
    const [problem] = check({ directory });
    expect(problem).toContain('has no wnids.txt, val/val_annotations.txt');
    expect(problem).toContain('http://cs231n.stanford.edu/tiny-imagenet-200.zip');
  });
});
