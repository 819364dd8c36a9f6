import { DatasetPlugin } from '@robustfair/spec';
import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { builtinDatasets } from '../builtin-datasets.js';
import { datasetsModule } from './index.js';

describe('datasetsModule', () => {
  it('multi-binds every built-in dataset plugin to DatasetPlugin', async () => {
    const container = new Container();
    await container.load(datasetsModule);
    expect(container.getAll<DatasetPlugin>(DatasetPlugin).map((plugin) => plugin.id)).toEqual(builtinDatasets.map((plugin) => plugin.id));
    expect(builtinDatasets.map((plugin) => plugin.id)).toEqual(['synthetic', 'cifar10', 'cifar100', 'tiny-imagenet']);
  });
});
