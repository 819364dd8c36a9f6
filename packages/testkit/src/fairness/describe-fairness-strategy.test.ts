import { describe, expect, it } from 'vitest';
import { fairnessStrategyChecks } from './fairness-strategy-checks.js';
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

describe(fairnessStrategyChecks, () => {
  it('fails the purity check of a strategy that mutates its state, naming the check', async () => {
    const mutating = (): FairnessStrategy<{ epochs: number }> => ({
      specificationVersion: 'v1',
      id: 'mutating',
      requires: { split: 'train', signals: [] },
      init: () => ({ epochs: 0 }),
      update: (state) => {
        (state as { epochs: number }).epochs += 1; // throws on the suite's deep-frozen state
        return state;
      },
      knobs: () => ({}),
    });
    const failed: string[] = [];
    for (const check of fairnessStrategyChecks(mutating, { numClasses: [2] })) {
      try {
        await check.run();
      } catch {
        failed.push(check.name);
      }
    }
    expect(failed).toContain('update is pure: same input, same output, inputs not mutated');
    expect(failed).not.toContain('declares its id, specification version and requirements');
    expect(failed).not.toContain('init returns plain JSON that round-trips unchanged');
  });
});
