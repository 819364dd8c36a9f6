import { defineFairnessStrategyPlugin, type FairnessStrategyPlugin } from '@robustfair/spec';
import { classReweightOptionsSchema, type ClassReweightOptions } from './class-reweight-options.js';
import { createClassReweightStrategy } from './class-reweight-strategy.js';

/** Descriptor of the `class-reweight` strategy (options: `power`, `min`, `max`). */
export const classReweightPlugin: FairnessStrategyPlugin<ClassReweightOptions> = defineFairnessStrategyPlugin({
  kind: 'fairness-strategy',
  id: 'class-reweight',
  specificationVersion: 'v1',
  summary:
    'Weights each class by its robust training error relative to the mean, (e_c / mean e)^power clipped to [min, max], rescaled to mean 1.',
  optionsSchema: classReweightOptionsSchema,
  create: (options) => createClassReweightStrategy(options),
});
