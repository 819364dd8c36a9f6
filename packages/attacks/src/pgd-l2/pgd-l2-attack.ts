import type { Attack } from '@robustfair/spec';
import { createProjectedGradientAttack, type PgdAttackOptions } from '../pgd/pgd-attack.js';

/** Options of {@link createPgdL2Attack}: those of PGD, with L2 units (ε, stepSize are Euclidean lengths). */
export type PgdL2AttackOptions = PgdAttackOptions;

/**
 * PGD-L2 defaults: 10 steps of 0.1 from a uniform start in the ball (torchattacks' PGDL2 uses
 * the same loop; RobustBench's CIFAR-10 L2 threat model is ε = 0.5, so a step of ε/5).
 */
export const pgdL2AttackDefaults = {
  steps: 10,
  stepSize: 0.1,
  init: 'uniform',
  modelMode: 'eval',
  objective: 'cross-entropy',
  confidence: 0,
  restarts: 1,
} as const satisfies Required<Omit<PgdL2AttackOptions, 'relativeStepSize'>>;

/**
 * L2 projected gradient descent (Madry et al. 2018) on a per-sample ε: the step follows the
 * per-sample normalised gradient, x' ← x' + stepSize·g/‖g‖₂, then δ is scaled back onto each
 * sample's own L2 ball (δ·min(1, ε/‖δ‖₂)) and clipped to the bounds. `init: 'uniform'` draws a
 * random direction and a radius r·ε with r ~ U(0, 1).
 *
 * @example
 * const adversarial = createPgdL2Attack({ steps: 20, stepSize: 0.05 }).perturb({ model, inputs, labels, epsilon, seed });
 */
export function createPgdL2Attack(options: PgdL2AttackOptions = {}): Attack {
  return createProjectedGradientAttack('pgd-l2', 'l2', options, pgdL2AttackDefaults);
}
