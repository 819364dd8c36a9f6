import type { Attack, AttackInit, ModelMode } from '@robustfair/spec';
import { resolveAttackObjective, type AttackObjectiveId } from '../objectives/attack-objective-id.js';
import { runLinfSignAttack } from '../linf/run-linf-sign-attack.js';

/** Options of {@link createPgdAttack}; every field has a default. */
export interface PgdAttackOptions {
  /** Number of signed-gradient steps (default 10). */
  readonly steps?: number;
  /** Step size in input units (default 2/255). */
  readonly stepSize?: number;
  /** Random start (default 'uniform': U(−ε, ε) clipped to bounds). */
  readonly init?: AttackInit;
  /** Batch-norm mode of the attacked model (default 'eval'). */
  readonly modelMode?: ModelMode;
  /** The objective maximised when the request carries none (default 'cross-entropy'). */
  readonly objective?: AttackObjectiveId;
}

/** PGD defaults (Madry et al. 2018 CIFAR-10 settings, ALGORITHMS 6.1). */
export const pgdAttackDefaults = {
  steps: 10,
  stepSize: 2 / 255,
  init: 'uniform',
  modelMode: 'eval',
  objective: 'cross-entropy',
} as const satisfies Required<PgdAttackOptions>;

/**
 * L∞ projected gradient descent (Madry et al. 2018; ALGORITHMS 1.1 and 1.2) on a per-sample ε:
 * start (none / uniform / gaussian, seeded from `request.seed`), then `steps` times
 * x' ← Proj(x, x' + stepSize·sign(∇x' Σ objective(model(x'), y))). `request.objective`
 * overrides the configured objective (TRADES: KL to the clean prediction).
 *
 * @example
 * const attack = createPgdAttack({ steps: 10, stepSize: 2 / 255 });
 * const adversarial = attack.perturb({ model, inputs, labels, epsilon, seed }); // caller disposes
 */
export function createPgdAttack(options: PgdAttackOptions = {}): Attack {
  const steps = options.steps ?? pgdAttackDefaults.steps;
  const stepSize = options.stepSize ?? pgdAttackDefaults.stepSize;
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`pgd: steps must be an integer ≥ 1, got ${steps}`);
  if (!(stepSize >= 0)) throw new RangeError(`pgd: stepSize must be ≥ 0 (input units), got ${stepSize}`);
  const settings = {
    steps,
    stepSize,
    init: options.init ?? pgdAttackDefaults.init,
    modelMode: options.modelMode ?? pgdAttackDefaults.modelMode,
    objective: resolveAttackObjective(options.objective ?? pgdAttackDefaults.objective),
  };
  return {
    specificationVersion: 'v1',
    id: 'pgd',
    norm: 'linf',
    perturb: (request) => runLinfSignAttack(request, settings),
  };
}
