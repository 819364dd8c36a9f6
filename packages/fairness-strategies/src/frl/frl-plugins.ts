import { defineFairnessStrategyPlugin, type FairnessStrategyPlugin } from '@robustfair/spec';
import {
  frlRemarginOptionsSchema,
  frlReweightOptionsSchema,
  frlReweightRemarginOptionsSchema,
  type FrlRemarginOptions,
  type FrlReweightOptions,
  type FrlReweightRemarginOptions,
} from './frl-options.js';
import { createFrlStrategy } from './frl-strategy.js';

const reference = {
  title: 'To be Robust or to be Fair: Towards Fairness in Adversarial Training',
  year: 2021,
  url: 'https://github.com/hannxu123/fair_robust',
} as const;

/** Descriptor of `frl-reweight` (docs/methods/frl.md). */
export const frlReweightPlugin: FairnessStrategyPlugin<FrlReweightOptions> = defineFairnessStrategyPlugin({
  kind: 'fairness-strategy',
  id: 'frl-reweight',
  specificationVersion: 'v1',
  summary: 'FRL-Reweight: Lagrange multipliers on validation clean and boundary errors become per-class loss weights (weight-normalised).',
  reference,
  optionsSchema: frlReweightOptionsSchema,
  create: (options) => createFrlStrategy('reweight', options),
});

/** Descriptor of `frl-remargin` (docs/methods/frl.md; the reference file was deleted upstream). */
export const frlRemarginPlugin: FairnessStrategyPlugin<FrlRemarginOptions> = defineFairnessStrategyPlugin({
  kind: 'fairness-strategy',
  id: 'frl-remargin',
  specificationVersion: 'v1',
  summary: 'FRL-Remargin: clean-error multipliers reweight, boundary-error multipliers scale each class\'s attack radius (ε·clip(exp(2λ), 0.98, M)).',
  reference,
  optionsSchema: frlRemarginOptionsSchema,
  create: (options) => createFrlStrategy('remargin', options),
});

/** Descriptor of `frl-reweight-remargin` (docs/methods/frl.md). */
export const frlReweightRemarginPlugin: FairnessStrategyPlugin<FrlReweightRemarginOptions> = defineFairnessStrategyPlugin({
  kind: 'fairness-strategy',
  id: 'frl-reweight-remargin',
  specificationVersion: 'v1',
  summary: 'FRL-Reweight+Remargin: per-class loss weights from both constraints and per-class radii from the boundary-error constraint.',
  reference,
  optionsSchema: frlReweightRemarginOptionsSchema,
  create: (options) => createFrlStrategy('reweight-remargin', options),
});
