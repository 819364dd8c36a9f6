import { defineMetricPlugin, type Metric, type MetricPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { averageAccuracy } from '../accuracy/average-accuracy.js';

/** `average-accuracy`: overall accuracy Σ correct / Σ count ("Avg" in ABSLD Table 1). */
export function createAverageAccuracyMetric(): Metric {
  return { id: 'average-accuracy', direction: 'higher-is-better', compute: averageAccuracy };
}

/** `average-accuracy` takes no options: `{}`. */
export const averageAccuracyOptionsSchema = z.strictObject({});

/** Descriptor of the `average-accuracy` metric. */
export const averageAccuracyPlugin: MetricPlugin<z.output<typeof averageAccuracyOptionsSchema>> = defineMetricPlugin({
  kind: 'metric',
  id: 'average-accuracy',
  specificationVersion: 'v1',
  summary: 'Overall accuracy over the test set, Σ correct / Σ count ("Avg").',
  optionsSchema: averageAccuracyOptionsSchema,
  create: () => createAverageAccuracyMetric(),
});
