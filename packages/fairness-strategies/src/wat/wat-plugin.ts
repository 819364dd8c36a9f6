import { defineFairnessStrategyPlugin, type FairnessStrategyPlugin } from '@robustfair/spec';
import { watOptionsSchema, type WatOptions } from './wat-options.js';
import { createWatStrategy } from './wat-strategy.js';

/** Descriptor of the `wat` strategy (docs/methods/wat.md). */
export const watPlugin: FairnessStrategyPlugin<WatOptions> = defineFairnessStrategyPlugin({
  kind: 'fairness-strategy',
  id: 'wat',
  specificationVersion: 'v1',
  summary: 'WAT: Hedge (exponentiated) class weights from the cumulative validation loss over C classes plus an expected-loss expert.',
  reference: {
    title: 'WAT: Improve the Worst-class Robustness in Adversarial Training',
    year: 2023,
    url: 'https://github.com/boqili/WAT',
  },
  optionsSchema: watOptionsSchema,
  create: (options) => createWatStrategy(options),
});
