import type { Attack, AttackInit, ModelMode } from '@robustfair/spec';
import { crossEntropyObjective } from '../objectives/cross-entropy-objective.js';
import { runLinfSignAttack } from '../linf/run-linf-sign-attack.js';

/** Options of {@link createFgsmAttack}; every field has a default. */
export interface FgsmAttackOptions {
  /** Start before the step (default 'none'; Fair-ARD's evaluation uses 'gaussian', docs/methods/evaluation.md). */
  readonly init?: AttackInit;
  /** Batch-norm mode of the attacked model (default 'eval'). */
  readonly modelMode?: ModelMode;
}

/** FGSM defaults. */
export const fgsmAttackDefaults = { init: 'none', modelMode: 'eval' } as const satisfies Required<FgsmAttackOptions>;

/**
 * Fast gradient sign method (Goodfellow et al. 2015): one signed-gradient step of size ε per
 * sample on the cross-entropy (or `request.objective`), then projection onto the ε ball and the
 * model's bounds (docs/methods/evaluation.md). Shares its step and projection with PGD.
 *
 * @example
 * const adversarial = createFgsmAttack().perturb({ model, inputs, labels, epsilon, seed }); // caller disposes
 */
export function createFgsmAttack(options: FgsmAttackOptions = {}): Attack {
  const settings = {
    steps: 1,
    stepSize: 'epsilon',
    init: options.init ?? fgsmAttackDefaults.init,
    modelMode: options.modelMode ?? fgsmAttackDefaults.modelMode,
    objective: crossEntropyObjective,
  } as const;
  return {
    specificationVersion: 'v1',
    id: 'fgsm',
    norm: 'linf',
    perturb: (request) => runLinfSignAttack(request, settings),
  };
}
