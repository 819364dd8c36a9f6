import { defineFairnessStrategyPlugin, type FairnessStrategyPlugin } from '@robustfair/spec';
import { absldOptionsSchema, type AbsldOptions } from './absld-options.js';
import { createAbsldStrategy } from './absld-strategy.js';

/** Descriptor of the `absld` strategy (docs/methods/absld.md). */
export const absldPlugin: FairnessStrategyPlugin<AbsldOptions> = defineFairnessStrategyPlugin({
  kind: 'fairness-strategy',
  id: 'absld',
  specificationVersion: 'v1',
  summary:
    'Adaptive class-wise teacher temperatures: classes with above-average student CE get sharper soft labels (T − rate·gap/max|gap|, clamped), or a fixed manual vector.',
  reference: {
    title: 'Improving Adversarial Robust Fairness via Anti-Bias Soft Label Distillation',
    year: 2024,
    url: 'https://github.com/zhaoshiji123/ABSLD',
  },
  optionsSchema: absldOptionsSchema,
  create: (options) => createAbsldStrategy(options),
});
