import type { MetricPlugin } from '@robustfair/spec';
import { averageAccuracyPlugin } from './plugins/average-accuracy-metric.js';
import { meanClassAccuracyPlugin } from './plugins/mean-class-accuracy-metric.js';
import { nsdPlugin } from './plugins/nsd-metric.js';
import { worstClassAccuracyPlugin } from './plugins/worst-class-accuracy-metric.js';

/** Every metric this package ships: the single registration list (loaded by `./di`). */
export const builtinMetrics: readonly MetricPlugin[] = [
  averageAccuracyPlugin,
  worstClassAccuracyPlugin,
  nsdPlugin,
  meanClassAccuracyPlugin,
];
