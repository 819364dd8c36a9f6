import type { ClassKnobs, FairnessStrategy } from '@robustfair/spec';
import { filled } from '../shared/class-vectors.js';
import { parseCfaCcrOptions, type CfaCcrOptionsInput } from './cfa-options.js';
import { activeAccuracy, initCfaState, updateCfaState, type CfaState } from './cfa-state.js';

/** CFA-CCR's state: CFA's class accuracies. */
export type CfaCcrState = CfaState;

const id = 'cfa-ccr';

/**
 * CFA's Class-wise Calibrated Regularisation (docs/methods/cfa.md; epochs are 0-based): a
 * per-class TRADES trade-off, stronger robust regularisation for classes that are already robust.
 *
 * Reads `robust-error` on the training split. For training epoch e, with r_c the class's robust
 * accuracy over epoch e − 1:
 *   β'_c = (λ2 + r_c)·β,  b_c = β'_c / (1 + β'_c)   if e ≥ beginEpoch,  else b_c = β / (1 + β)
 * and the reference loss is (1/B)·Σ_i [(1 − b_{y_i})·CE_i + b_{y_i}·KL_i].
 *
 * How b_c reaches the loop: the TRADES objective has coefficients c_nat = 1 and c_rob = β and the
 * loop computes c_nat·w_nat[y]·CE + c_rob·w_rob[y]·KL with the 'mean' reduction, so
 *   naturalWeight_c = s·(1 − b_c)      robustWeight_c = s·b_c / β
 * with s = 1 for `lossScale: 'cfa'` (the reference's loss exactly: weights 1/(1+β) before
 * `beginEpoch`) and s = 1 + β for 'trades' (weights 1 before `beginEpoch`; the loss is the
 * reference's × (1 + β), i.e. plain TRADES). Equivalently, with s = 1 + β,
 * naturalWeight_c = (1 + β)/(1 + β'_c) and robustWeight_c = (β'_c/β)·(1 + β)/(1 + β'_c).
 * `beta` must equal the objective's β. CCR is defined for the TRADES base only (the reference
 * ignores it in AT and FAT modes).
 *
 * @example
 * chainStrategies(createCfaCcmStrategy(), createCfaCcrStrategy({ beta: 6 }));
 */
export function createCfaCcrStrategy(options: CfaCcrOptionsInput = {}): FairnessStrategy<CfaCcrState> {
  const { lambda, beginEpoch, beta, lossScale } = parseCfaCcrOptions(options);
  const scale = lossScale === 'cfa' ? 1 : 1 + beta;
  return {
    specificationVersion: 'v1',
    id,
    requires: { split: 'train', signals: ['robust-error'] },
    init: ({ numClasses }) => initCfaState(numClasses),
    update: (state, statistics) => updateCfaState(id, state, statistics),
    knobs: (state): ClassKnobs => {
      const accuracy = activeAccuracy(state, beginEpoch);
      const regularisation =
        accuracy === null ? filled(state.classes, beta / (1 + beta)) : accuracy.map((robust) => classRegularisation(lambda, robust, beta));
      return {
        naturalWeight: regularisation.map((b) => scale * (1 - b)),
        robustWeight: regularisation.map((b) => (scale * b) / beta),
      };
    },
  };
}

/** CFA's b_c = β'_c / (1 + β'_c) with β'_c = (λ2 + r_c)·β (docs/methods/cfa.md). */
export function classRegularisation(lambda: number, robustAccuracy: number, beta: number): number {
  const classBeta = (lambda + robustAccuracy) * beta;
  return classBeta / (1 + classBeta);
}
