import { MetricPlugin } from '@robustfair/spec';
import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { builtinMetrics } from '../builtin-metrics.js';
import { metricsModule } from './index.js';

describe('metricsModule', () => {
  it('multi-binds every built-in descriptor under MetricPlugin', () => {
    const container = new Container();
    container.load(metricsModule);
    expect(container.getAll<MetricPlugin>(MetricPlugin)).toEqual(builtinMetrics);
  });
});
