// @robustfair/metrics: pure functions of per-class counts (Avg, Worst, NSD) and their plugins.
export { builtinMetrics } from './builtin-metrics.js';

export { assertValidClassCounts, classAccuracies } from './accuracy/class-accuracies.js';
export { averageAccuracy } from './accuracy/average-accuracy.js';
export { meanClassAccuracy } from './accuracy/mean-class-accuracy.js';
export { worstClassAccuracy, type WorstClass } from './accuracy/worst-class-accuracy.js';
export {
  normalizedStandardDeviation,
  type NormalizedStandardDeviationOptions,
  type StandardDeviationConvention,
} from './accuracy/normalized-standard-deviation.js';
export { summarizeClassAccuracy, type ClassAccuracySummary } from './accuracy/summarize-class-accuracy.js';
export { InvalidClassCountsError } from './accuracy/invalid-class-counts-error.js';
export { worstOf } from './accuracy/worst-class-accuracy.js';
export { nsdOf } from './accuracy/normalized-standard-deviation.js';

export {
  bootstrapClassAccuracyDistribution,
  bootstrapClassAccuracyInterval,
  bootstrapWorstClassInterval,
  type BootstrapOptions,
  type ConfidenceInterval,
} from './bootstrap/bootstrap-class-accuracy.js';
export { quantileOfSorted } from './bootstrap/quantile.js';

export { averageAccuracyPlugin, createAverageAccuracyMetric } from './plugins/average-accuracy-metric.js';
export { createMeanClassAccuracyMetric, meanClassAccuracyPlugin } from './plugins/mean-class-accuracy-metric.js';
export { createWorstClassAccuracyMetric, worstClassAccuracyPlugin } from './plugins/worst-class-accuracy-metric.js';
export { createNsdMetric, nsdOptionsSchema, nsdPlugin, type NsdOptions } from './plugins/nsd-metric.js';
