import { FairnessStrategyPlugin } from '@robustfair/spec';
import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { builtinFairnessStrategies } from '../builtin-fairness-strategies.js';
import { fairnessStrategiesModule } from './index.js';

describe('fairnessStrategiesModule', () => {
  it('multi-binds every built-in descriptor under FairnessStrategyPlugin', () => {
    const container = new Container();
    container.load(fairnessStrategiesModule);
    expect(container.getAll<FairnessStrategyPlugin>(FairnessStrategyPlugin)).toEqual(builtinFairnessStrategies);
  });
});
