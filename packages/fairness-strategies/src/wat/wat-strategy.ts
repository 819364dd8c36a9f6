import type { ClassKnobs, ClassSignal, ClassStatistics, FairnessStrategy } from '@robustfair/spec';
import { classMeans, requireSignal } from '../signals/class-means.js';
import { assertClassCount, assertSplit, filled, sum } from '../shared/class-vectors.js';
import { parseWatOptions, type WatOptionsInput } from './wat-options.js';

/**
 * WAT's Hedge state over C + 1 experts (index C is the "expected-loss" expert):
 * `cumulativeCost` S_j, summed over the epochs so far, and the current `weights` w_j.
 */
export type WatState = { cumulativeCost: number[]; weights: number[] };

const id = 'wat';

/**
 * WAT, Worst-class Adversarial Training (docs/methods/wat.md): exponentiated-gradient (Hedge)
 * class weights from the validation loss, over C class experts plus one expert for the
 * expected (average) loss.
 *
 * Reads, on the VALIDATION split, `robust-ce` (default cost) or `natural-loss` and `robust-loss`
 * (`cost: 'trades'`). After each epoch:
 *   cost_c = class-c mean of the cost;  cost_C = the mean over all validation samples
 *   S_j ← S_j + cost_j;  w_j = C·exp(η·S_j) / Σ_{k=0..C} exp(η·S_k)
 * The reference normalises by val_iters·batch_size (3072) instead of the 3000 validation
 * samples; the true counts are used here.
 *
 * The reference's loss is (Σ_c w_c·Σ_{i∈c}(CE_i + β·KL_i))/B + w_C·TRADES(batch), i.e. each
 * sample weighs w_{y} + w_C on both terms with the 'mean' reduction, so
 *   naturalWeight_c = robustWeight_c = w_c + w_C.
 * Every w_j starts at 1 as in the code, so epoch 0 trains with weight 2 (TRADES × 2), and
 * after an update with equal costs every class weighs 2C/(C + 1), not 1.
 *
 * @example
 * fit({ ..., fairness: createWatStrategy({ learningRate: 0.1 }), validation: { attack, batchSize: 128 } });
 */
export function createWatStrategy(options: WatOptionsInput = {}): FairnessStrategy<WatState> {
  const { learningRate, cost, beta } = parseWatOptions(options);
  const signals: readonly ClassSignal[] = cost === 'trades' ? ['natural-loss', 'robust-loss'] : ['robust-ce'];
  return {
    specificationVersion: 'v1',
    id,
    requires: { split: 'validation', signals },
    init: ({ numClasses }) => ({ cumulativeCost: filled(numClasses + 1, 0), weights: filled(numClasses + 1, 1) }),
    update: (state, statistics) => {
      assertClassCount(id, state.weights.length - 1, statistics);
      assertSplit(id, 'validation', statistics);
      const costs = cost === 'trades' ? tradesCosts(statistics, beta) : meanAndClassCosts(statistics, 'robust-ce');
      const cumulativeCost = state.cumulativeCost.map((total, expert) => total + (costs[expert] ?? 0));
      return { cumulativeCost, weights: hedgeWeights(cumulativeCost, learningRate, statistics.count.length) };
    },
    knobs: (state): ClassKnobs => {
      const classes = state.weights.length - 1;
      const expected = state.weights[classes] ?? 0;
      const weights = state.weights.slice(0, classes).map((weight) => weight + expected);
      return { naturalWeight: weights, robustWeight: weights.slice() };
    },
  };
}

/** w_j = scale·exp(η·S_j)/Σ_k exp(η·S_k), computed with the largest exponent subtracted. */
export function hedgeWeights(cumulativeCost: readonly number[], learningRate: number, scale: number): number[] {
  const largest = Math.max(...cumulativeCost);
  const exponentials = cumulativeCost.map((total) => Math.exp(learningRate * (total - largest)));
  const total = sum(exponentials);
  return exponentials.map((value) => (scale * value) / total);
}

/** [class means of `signal`..., overall mean of `signal`]: C + 1 costs. */
function meanAndClassCosts(statistics: ClassStatistics, signal: ClassSignal): number[] {
  const overall = sum(requireSignal(statistics, signal, id)) / sum(statistics.count);
  return [...classMeans(statistics, signal, id), overall];
}

function tradesCosts(statistics: ClassStatistics, beta: number): number[] {
  const natural = meanAndClassCosts(statistics, 'natural-loss');
  const robust = meanAndClassCosts(statistics, 'robust-loss');
  return natural.map((value, expert) => value + beta * (robust[expert] ?? 0));
}
