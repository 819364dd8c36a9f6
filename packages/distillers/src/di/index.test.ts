import { ObjectivePlugin } from '@robustfair/spec';
import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { builtinObjectives } from '../builtin-objectives.js';
import { distillersModule } from './index.js';

describe('distillersModule', () => {
  it('multi-binds every built-in objective plugin', () => {
    const container = new Container();
    container.load(distillersModule);
    const plugins = container.getAll<ObjectivePlugin>(ObjectivePlugin);
    expect(plugins.map((plugin) => plugin.id)).toEqual(['sat', 'trades']);
    expect(plugins).toEqual([...builtinObjectives]);
  });
});
