import { ModelPlugin } from '@robustfair/spec';
import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { builtinModels } from '../builtin-models.js';
import { modelsModule } from './index.js';

describe('modelsModule', () => {
  it('multi-binds every built-in model plugin to ModelPlugin', async () => {
    const container = new Container();
    await container.load(modelsModule);
    expect(container.getAll<ModelPlugin>(ModelPlugin).map((plugin) => plugin.id)).toEqual(builtinModels.map((plugin) => plugin.id));
    expect(builtinModels.map((plugin) => plugin.id)).toContain('small-cnn');
  });
});
