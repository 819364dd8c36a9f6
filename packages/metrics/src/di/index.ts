import { MetricPlugin } from '@robustfair/spec';
import { ContainerModule } from 'inversify';
import { builtinMetrics } from '../builtin-metrics.js';

/** Multi-binds every built-in metric descriptor under the `MetricPlugin` token. */
export const metricsModule = new ContainerModule((options) => {
  for (const plugin of builtinMetrics) {
    options.bind<MetricPlugin>(MetricPlugin).toConstantValue(plugin);
  }
});
