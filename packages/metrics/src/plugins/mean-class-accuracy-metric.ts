import { defineMetricPlugin, type Metric, type MetricPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { meanClassAccuracy } from '../accuracy/mean-class-accuracy.js';

/** `mean-class-accuracy`: unweighted mean of the class accuracies (balanced accuracy). */
export function createMeanClassAccuracyMetric(): Metric {
  return { id: 'mean-class-accuracy', direction: 'higher-is-better', compute: meanClassAccuracy };
}

/** `mean-class-accuracy` takes no options: `{}`. */
export const meanClassAccuracyOptionsSchema = z.strictObject({});

/** Descriptor of the `mean-class-accuracy` metric. */
export const meanClassAccuracyPlugin: MetricPlugin<z.output<typeof meanClassAccuracyOptionsSchema>> = defineMetricPlugin({
  kind: 'metric',
  id: 'mean-class-accuracy',
  specificationVersion: 'v1',
  summary: 'Unweighted mean of the class accuracies, mean_c A_c (equals Avg on a balanced test set).',
  optionsSchema: meanClassAccuracyOptionsSchema,
  create: () => createMeanClassAccuracyMetric(),
});
