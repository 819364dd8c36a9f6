// A fairness strategy written outside robustfair's packages, against the public API only:
// a plugin descriptor (id, zod options, factory) whose strategy is pure init/update/knobs over
// JSON state. The config names this file in `plugins`; nothing in any package changes.
import { defineFairnessStrategyPlugin } from '@robustfair/spec';
import { z } from 'zod';

/**
 * worst-class-boost: after each epoch, the class with the highest robust error on the epoch's
 * training adversarial examples gets weight `boost`, every other class 1; the weights are then
 * rescaled to mean 1. Epoch 1 trains with weight 1 everywhere, and so does the epoch after one
 * where every class had the same error.
 */
export function createWorstClassBoostStrategy({ boost }) {
  return {
    specificationVersion: 'v1',
    id: 'worst-class-boost',
    requires: { split: 'train', signals: ['robust-error'] },
    init: ({ numClasses }) => ({ weights: Array.from({ length: numClasses }, () => 1) }),
    update: (state, statistics) => {
      const errors = statistics.sums['robust-error'].map((sum, c) => (statistics.count[c] > 0 ? sum / statistics.count[c] : 0));
      // Every class equally bad: no class to boost (a tie would otherwise pick class 0).
      if (Math.max(...errors) === Math.min(...errors)) return { weights: errors.map(() => 1) };
      const worst = errors.indexOf(Math.max(...errors));
      const raw = errors.map((_, c) => (c === worst ? boost : 1));
      const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
      return { weights: raw.map((w) => w / mean) };
    },
    knobs: (state) => ({ robustWeight: state.weights, naturalWeight: state.weights }),
  };
}

export const worstClassBoostPlugin = defineFairnessStrategyPlugin({
  kind: 'fairness-strategy',
  id: 'worst-class-boost',
  specificationVersion: 'v1',
  summary: 'Boosts the loss weight of the class with the highest robust training error',
  optionsSchema: z.strictObject({ boost: z.number().min(1).default(3) }),
  create: (options) => createWorstClassBoostStrategy(options),
});

export default [worstClassBoostPlugin];
