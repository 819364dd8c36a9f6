import type { FairnessStrategy } from '@robustfair/spec';
import { describeFairnessStrategy } from './describe-fairness-strategy.js';

// A minimal well-behaved strategy: robust weight ∝ the class's robust-loss mean, normalised to
// mean 1. It exercises every check of the suite without depending on the strategies package.
type LossRatioState = { weights: number[] };

function createLossRatioStrategy(): FairnessStrategy<LossRatioState> {
  return {
    specificationVersion: 'v1',
    id: 'loss-ratio',
    requires: { split: 'train', signals: ['robust-loss'] },
    init: ({ numClasses }) => ({ weights: Array.from({ length: numClasses }, () => 1) }),
    update: (_state, statistics) => {
      const sums = statistics.sums['robust-loss'] ?? [];
      const means = statistics.count.map((count, classIndex) => (sums[classIndex] ?? 0) / count);
      const average = means.reduce((total, value) => total + value, 0) / means.length;
      return { weights: means.map((value) => value / average) };
    },
    knobs: (state) => ({ robustWeight: state.weights }),
  };
}

describeFairnessStrategy('loss-ratio (suite self-test)', createLossRatioStrategy);
describeFairnessStrategy('loss-ratio (suite self-test, options)', createLossRatioStrategy, {
  numClasses: [2],
  updates: 2,
  seed: 5,
});
