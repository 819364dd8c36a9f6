import { defineFairnessStrategyPlugin, type FairnessStrategyPlugin } from '@robustfair/spec';
import { createCfaCcmStrategy } from './cfa-ccm-strategy.js';
import { createCfaCcrStrategy } from './cfa-ccr-strategy.js';
import { cfaCcmOptionsSchema, cfaCcrOptionsSchema, type CfaCcmOptions, type CfaCcrOptions } from './cfa-options.js';

const reference = {
  title: 'CFA: Class-wise Calibrated Fair Adversarial Training',
  year: 2023,
  url: 'https://github.com/PKU-ML/CFA',
} as const;

/** Descriptor of `cfa-ccm` (docs/methods/cfa.md). */
export const cfaCcmPlugin: FairnessStrategyPlugin<CfaCcmOptions> = defineFairnessStrategyPlugin({
  kind: 'fairness-strategy',
  id: 'cfa-ccm',
  specificationVersion: 'v1',
  summary: "CFA's class-wise calibrated margin: ε_c = (λ1 + r_c)·ε from the previous epoch's class-wise train robust accuracy, from beginEpoch on.",
  reference,
  optionsSchema: cfaCcmOptionsSchema,
  create: (options) => createCfaCcmStrategy(options),
});

/** Descriptor of `cfa-ccr` (docs/methods/cfa.md). */
export const cfaCcrPlugin: FairnessStrategyPlugin<CfaCcrOptions> = defineFairnessStrategyPlugin({
  kind: 'fairness-strategy',
  id: 'cfa-ccr',
  specificationVersion: 'v1',
  summary: "CFA's class-wise calibrated regularisation: per-class TRADES weights (1 − b_c, b_c/β) with b_c = β'_c/(1 + β'_c), β'_c = (λ2 + r_c)·β.",
  reference,
  optionsSchema: cfaCcrOptionsSchema,
  create: (options) => createCfaCcrStrategy(options),
});
