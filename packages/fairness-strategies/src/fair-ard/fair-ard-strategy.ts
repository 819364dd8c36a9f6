import type { FairnessStrategy } from '@robustfair/spec';
import { classMeans } from '../signals/class-means.js';
import { assertClassCount, clamp, filled, sum } from '../shared/class-vectors.js';
import { parseFairArdOptions, type FairArdOptionsInput } from './fair-ard-options.js';

/** Per-class weights, index = class id. */
export type FairArdState = { weights: number[] };

const id = 'fair-ard';

/**
 * Fair-ARD's class re-weighting (docs/methods/fair-ard.md): classes whose samples are flipped early
 * by the attack (small κ, "hard geometry") weigh more in the next epoch's distillation loss.
 *
 * Reads `kappa` on the training split: per sample, the number of attack steps (checked before
 * each step, from the random start) at which the student still classified it correctly. With
 * κ̄_c = kappa_c / count_c (the reference divides by N/C, the same for balanced classes):
 *
 *   u_c = (1 / (κ̄_c + kappaOffset))^power;  w_c = clip(C·u_c / Σ_j u_j, weightRange)
 *
 * (the clip comes after the rescaling, so Σ w may drift from C, as in the code). Epoch 0 uses
 * w = 1. Knobs: the same vector as `naturalWeight` and `robustWeight` (Fair-ARD multiplies
 * each sample's KL and CE by w[y]); the reduction stays 'mean'.
 *
 * @example
 * fit({ ..., fairness: createFairArdStrategy({ power: 2 }) });   // with an attack that has perturbWithTrace
 */
export function createFairArdStrategy(options: FairArdOptionsInput = {}): FairnessStrategy<FairArdState> {
  const { power, kappaOffset, weightRange } = parseFairArdOptions(options);
  const [minimum, maximum] = weightRange;
  return {
    specificationVersion: 'v1',
    id,
    requires: { split: 'train', signals: ['kappa'] },
    init: ({ numClasses }) => ({ weights: filled(numClasses, 1) }),
    update: (state, statistics) => {
      assertClassCount(id, state.weights.length, statistics);
      const unnormalised = classMeans(statistics, 'kappa', id).map((kappa) => (1 / (kappa + kappaOffset)) ** power);
      const total = sum(unnormalised);
      return { weights: unnormalised.map((value) => clamp((unnormalised.length * value) / total, minimum, maximum)) };
    },
    knobs: (state) => ({ naturalWeight: state.weights.slice(), robustWeight: state.weights.slice() }),
  };
}
