import { defineMetricPlugin, type Metric, type MetricPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { normalizedStandardDeviation } from '../accuracy/normalized-standard-deviation.js';

/**
 * Options of `nsd`: `std` is `'population'` (default, divide by C, numpy's default) or
 * `'sample'` (divide by C − 1).
 */
export const nsdOptionsSchema = z.strictObject({
  std: z.enum(['population', 'sample']).default('population'),
});

/** Resolved options of `nsd`. */
export type NsdOptions = z.output<typeof nsdOptionsSchema>;

/**
 * `nsd`: std_c(A_c) / mean_c(A_c), lower is better (ABSLD's fairness metric). `NaN` when every
 * class has accuracy 0; see `normalizedStandardDeviation`.
 */
export function createNsdMetric(options: NsdOptions = { std: 'population' }): Metric {
  return {
    id: 'nsd',
    direction: 'lower-is-better',
    compute: (counts) => normalizedStandardDeviation(counts, options),
  };
}

/** Descriptor of the `nsd` metric (option `std`). */
export const nsdPlugin: MetricPlugin<NsdOptions> = defineMetricPlugin({
  kind: 'metric',
  id: 'nsd',
  specificationVersion: 'v1',
  summary: 'Normalized standard deviation of the class accuracies, std_c(A_c) / mean_c(A_c) (lower is fairer).',
  reference: {
    title: 'Improving Adversarial Robust Fairness via Anti-Bias Soft Label Distillation',
    year: 2024,
    url: 'https://arxiv.org/abs/2312.05508',
  },
  optionsSchema: nsdOptionsSchema,
  create: (options) => createNsdMetric(options),
});
