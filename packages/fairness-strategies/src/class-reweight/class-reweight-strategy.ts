import type { ClassStatistics, FairnessStrategy } from '@robustfair/spec';
import { classMeans } from '../signals/class-means.js';
import { parseClassReweightOptions, type ClassReweightOptionsInput } from './class-reweight-options.js';

/** Per-class weights, index = class id, mean 1. A `type` alias so it satisfies `JsonValue`. */
export type ClassReweightState = { weights: number[] };

const id = 'class-reweight';

/**
 * The simplest sample-based fairness baseline: classes the model gets wrong more often under
 * attack weigh more in the next epoch's loss.
 *
 * Reads `robust-error` on the training split. Epoch 1 uses weight 1 for every class. After each
 * epoch, with e_c = class c's robust error rate on that epoch's training adversarial examples
 * (robust-error sum / count):
 *
 *   v_c = (e_c / mean(e))^power,   w_c = clip(v_c / mean(v), min, max)
 *
 * i.e. rescaled to mean 1 FIRST, then clipped, so every weight lies in [min, max] as documented
 * and the mean of the weights may drift from 1 when a weight is clipped. This is the order of the
 * nearest reference rule, Fair-ARD's class weights (normalised to sum C, then clipped). When
 * mean(e) = 0 every weight is 1.
 * A class without samples in the epoch gets the mean error, hence ratio 1. The weights of one
 * epoch replace the previous ones; they do not accumulate. Writes both `naturalWeight` and
 * `robustWeight`.
 *
 * Options (defaults): `power` 1, `min` 0.5, `max` 2. Throws InvalidOptionsError when invalid.
 *
 * @example
 * fit({ ..., fairness: createClassReweightStrategy({ power: 2 }) });
 */
export function createClassReweightStrategy(options: ClassReweightOptionsInput = {}): FairnessStrategy<ClassReweightState> {
  const { power, min, max } = parseClassReweightOptions(options);
  return {
    specificationVersion: 'v1',
    id,
    requires: { split: 'train', signals: ['robust-error'] },
    init: ({ numClasses }) => ({ weights: Array.from({ length: numClasses }, () => 1) }),
    update: (state, statistics) => {
      assertClassCount(state, statistics);
      const errors = classMeans(statistics, 'robust-error', id);
      const meanError = mean(errors);
      if (!(meanError > 0)) return { weights: errors.map(() => 1) };
      const raw = errors.map((error) => (error / meanError) ** power);
      const meanRaw = mean(raw);
      return { weights: raw.map((weight) => Math.min(max, Math.max(min, weight / meanRaw))) };
    },
    knobs: (state) => ({ naturalWeight: state.weights.slice(), robustWeight: state.weights.slice() }),
  };
}

function assertClassCount(state: ClassReweightState, statistics: ClassStatistics): void {
  if (statistics.count.length !== state.weights.length) {
    throw new RangeError(
      `fairness strategy '${id}': statistics cover ${statistics.count.length} classes but the state has ${state.weights.length}`,
    );
  }
}

function mean(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0) / values.length;
}
