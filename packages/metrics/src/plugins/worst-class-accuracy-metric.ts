import { defineMetricPlugin, type Metric, type MetricPlugin } from '@robustfair/spec';
import { z } from 'zod';
import { worstClassAccuracy } from '../accuracy/worst-class-accuracy.js';

/** `worst-class-accuracy`: min_c A_c ("Worst" in ABSLD Table 1). */
export function createWorstClassAccuracyMetric(): Metric {
  return {
    id: 'worst-class-accuracy',
    direction: 'higher-is-better',
    compute: (counts) => worstClassAccuracy(counts).accuracy,
  };
}

/** `worst-class-accuracy` takes no options: `{}`. */
export const worstClassAccuracyOptionsSchema = z.strictObject({});

/** Descriptor of the `worst-class-accuracy` metric. */
export const worstClassAccuracyPlugin: MetricPlugin<z.output<typeof worstClassAccuracyOptionsSchema>> = defineMetricPlugin({
  kind: 'metric',
  id: 'worst-class-accuracy',
  specificationVersion: 'v1',
  summary: 'Lowest class accuracy, min_c A_c ("Worst").',
  optionsSchema: worstClassAccuracyOptionsSchema,
  create: () => createWorstClassAccuracyMetric(),
});
