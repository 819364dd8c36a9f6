import type { FairnessStrategy } from '@robustfair/spec';
import { filled } from '../shared/class-vectors.js';
import { parseCfaCcmOptions, type CfaCcmOptionsInput } from './cfa-options.js';
import { activeAccuracy, initCfaState, updateCfaState, type CfaState } from './cfa-state.js';

/** CFA-CCM's state: CFA's class accuracies plus the run's base radius (input units). */
export type CfaCcmState = CfaState & { epsilon: number };

const id = 'cfa-ccm';

/**
 * CFA's Class-wise Calibrated Margin (docs/methods/cfa.md; epochs are 0-based): each class
 * is attacked with its own radius, larger for classes that are already robust.
 *
 * Reads `robust-error` on the training split (the adversarial examples the step trained on,
 * generated with the class's own ε). For training epoch e:
 *   ε_c = (λ1 + r_c)·ε   if e ≥ beginEpoch,  else ε
 * with r_c the class's robust accuracy over epoch e − 1. Knobs: `epsilon` (always set, so a
 * `chain` sees the conflict from the first epoch); with `lossScale: 'cfa'` (default) also
 * naturalWeight = robustWeight = 1/(1 + β) for every class, so that with the TRADES objective
 * (coefficients 1 and β) the loss is the reference's (1 − b)·CE + b·KL, b = β/(1 + β), which the
 * official code uses whenever CCR is off. In `chain(cfa-ccm, cfa-ccr)` the chain drops these
 * weights, since CCR carries that scale. With a non-TRADES base (SAT, a distiller) give
 * `lossScale: 'none'`.
 *
 * @example
 * fit({ ..., fairness: createCfaCcmStrategy({ lambda: 0.5 }) });
 */
export function createCfaCcmStrategy(options: CfaCcmOptionsInput = {}): FairnessStrategy<CfaCcmState> {
  const { lambda, beginEpoch, lossScale, beta } = parseCfaCcmOptions(options);
  return {
    specificationVersion: 'v1',
    id,
    requires: { split: 'train', signals: ['robust-error'] },
    init: ({ numClasses, epsilon }) => ({ ...initCfaState(numClasses), epsilon }),
    update: (state, statistics) => ({ ...updateCfaState(id, state, statistics), epsilon: state.epsilon }),
    knobs: (state) => {
      const accuracy = activeAccuracy(state, beginEpoch);
      const epsilon = accuracy === null ? filled(state.classes, state.epsilon) : accuracy.map((robust) => (lambda + robust) * state.epsilon);
      if (lossScale === 'none') return { epsilon };
      const weight = filled(state.classes, 1 / (1 + beta));
      return { epsilon, naturalWeight: weight, robustWeight: weight.slice() };
    },
  };
}
