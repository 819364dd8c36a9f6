import type { ClassStatistics } from '@robustfair/spec';
import { classMeans } from '../signals/class-means.js';
import { assertClassCount } from '../shared/class-vectors.js';

/**
 * What CFA keeps between epochs (docs/methods/cfa.md): `robustAccuracy`, the class-wise TRAIN
 * robust accuracy r of the last finished epoch (null before the first update), and
 * `nextEpoch`, the 0-based epoch the knobs are for. The reference keeps exactly this (the last
 * row of its class-wise log); it keeps no running average of r; its 0.88 decay belongs to the
 * EMA / FAWA weight averages, which are callbacks, not strategy state.
 */
export type CfaState = { robustAccuracy: number[] | null; nextEpoch: number; classes: number };

export function initCfaState(numClasses: number): CfaState {
  return { robustAccuracy: null, nextEpoch: 0, classes: numClasses };
}

/**
 * r_c = 1 − robust-error_c / count_c, on the adversarial examples the step trained on
 * (train-mode logits, ADR 0005). The reference's logger computes C·correct_c / N, which equals
 * this only for balanced classes; the per-class count is used here.
 */
export function updateCfaState(strategyId: string, state: CfaState, statistics: ClassStatistics): CfaState {
  assertClassCount(strategyId, state.classes, statistics);
  return {
    robustAccuracy: classMeans(statistics, 'robust-error', strategyId).map((error) => 1 - error),
    nextEpoch: statistics.epoch + 1,
    classes: state.classes,
  };
}

/** The accuracies CFA uses for the knobs of `state.nextEpoch`, or null before `beginEpoch`. */
export function activeAccuracy(state: CfaState, beginEpoch: number): readonly number[] | null {
  return state.nextEpoch >= beginEpoch ? state.robustAccuracy : null;
}
