// The same fairness strategy as ../custom-fairness-strategy/worst-class-boost.js, in TypeScript:
// one file, no package.json, no build step. robustfair compiles it when the config's `plugins`
// names it (types are stripped, nothing is type-checked at load time) and resolves its
// `@robustfair/spec` and `zod` imports from robustfair's own installation.
import { defineFairnessStrategyPlugin, type ClassStatistics, type FairnessStrategy, type StrategyContext } from '@robustfair/spec';
import { z } from 'zod';

/** The strategy's state: plain JSON, one weight per class. */
type WorstClassBoostState = { weights: number[] };

const optionsSchema = z.strictObject({
  /** Weight of the worst class before rescaling to mean 1; at least 1. */
  boost: z.number().min(1).default(3),
});
type WorstClassBoostOptions = z.infer<typeof optionsSchema>;

/**
 * worst-class-boost: after each epoch, the class with the highest robust error on the epoch's
 * training adversarial examples gets weight `boost`, every other class 1; the weights are then
 * rescaled to mean 1. Epoch 1 trains with weight 1 everywhere, and so does the epoch after one
 * where every class had the same error.
 */
export function createWorstClassBoostStrategy({ boost }: WorstClassBoostOptions): FairnessStrategy<WorstClassBoostState> {
  return {
    specificationVersion: 'v1',
    id: 'worst-class-boost',
    requires: { split: 'train', signals: ['robust-error'] },
    init: ({ numClasses }: StrategyContext) => ({ weights: Array.from({ length: numClasses }, () => 1) }),
    update: (_state: WorstClassBoostState, statistics: ClassStatistics) => {
      // `robust-error` is a per-class SUM (wrong adversarial predictions); divide by count for a rate.
      const sums = statistics.sums['robust-error'] ?? [];
      const errors = statistics.count.map((count, c) => (count > 0 ? (sums[c] ?? 0) / count : 0));
      // Every class equally bad: no class to boost (a tie would otherwise pick class 0).
      if (Math.max(...errors) === Math.min(...errors)) return { weights: errors.map(() => 1) };
      const worst = errors.indexOf(Math.max(...errors));
      const raw = errors.map((_, c) => (c === worst ? boost : 1));
      const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
      return { weights: raw.map((w) => w / mean) };
    },
    knobs: (state: WorstClassBoostState) => ({ robustWeight: state.weights, naturalWeight: state.weights }),
  };
}

export const worstClassBoostPlugin = defineFairnessStrategyPlugin({
  kind: 'fairness-strategy',
  id: 'worst-class-boost',
  specificationVersion: 'v1',
  summary: 'Boosts the loss weight of the class with the highest robust training error',
  optionsSchema,
  create: (options: WorstClassBoostOptions) => createWorstClassBoostStrategy(options),
});

export default [worstClassBoostPlugin];
