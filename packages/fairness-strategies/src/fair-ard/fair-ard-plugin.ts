import { defineFairnessStrategyPlugin, type FairnessStrategyPlugin } from '@robustfair/spec';
import { fairArdOptionsSchema, type FairArdOptions } from './fair-ard-options.js';
import { createFairArdStrategy } from './fair-ard-strategy.js';

/** Descriptor of the `fair-ard` strategy (docs/methods/fair-ard.md). */
export const fairArdPlugin: FairnessStrategyPlugin<FairArdOptions> = defineFairnessStrategyPlugin({
  kind: 'fairness-strategy',
  id: 'fair-ard',
  specificationVersion: 'v1',
  summary: 'Fair-ARD: class weights (1/(κ̄_c + 1e-5))^β from the mean attack steps a class stays correct, rescaled to sum C, clipped to [5/6, 5/2].',
  reference: {
    title: 'Revisiting Adversarial Robustness Distillation from the Perspective of Robust Fairness',
    year: 2023,
    url: 'https://github.com/NISP-official/Fair-ARD',
  },
  optionsSchema: fairArdOptionsSchema,
  create: (options) => createFairArdStrategy(options),
});
