import { DistillerPlugin, ObjectivePlugin } from '@robustfair/spec';
import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { builtinDistillers } from '../builtin-distillers.js';
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

  it('multi-binds every built-in distiller plugin', () => {
    const container = new Container();
    container.load(distillersModule);
    const plugins = container.getAll<DistillerPlugin>(DistillerPlugin);
    expect(plugins.map((plugin) => plugin.id)).toEqual(['ard', 'rslad']);
    expect(plugins.every((plugin) => plugin.kind === 'distiller')).toBe(true);
    expect(plugins).toEqual([...builtinDistillers]);
  });
});
