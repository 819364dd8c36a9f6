import type { Attack, AttackInit, ModelMode } from '@robustfair/spec';
import { runProjectedGradientAttack, runProjectedGradientAttackWithTrace } from '../iterative/run-projected-gradient-attack.js';
import { assertInteger } from '../iterative/validate-request.js';
import { resolveAttackObjective, type AttackObjectiveId } from '../objectives/attack-objective-id.js';

/** Options of {@link createPgdAttack}; every field has a default. */
export interface PgdAttackOptions {
  /** Number of signed-gradient steps (default 10). */
  readonly steps?: number;
  /** Step size in input units (default 2/255). */
  readonly stepSize?: number;
  /**
   * When set, each call steps by this fraction of the LARGEST per-sample ε of the batch instead
   * of `stepSize` (FRL-Reweight+Remargin's max_i(ε_i)/4 is 0.25). Default: unset.
   */
  readonly relativeStepSize?: number | undefined;
  /** Random start (default 'uniform': U(−ε, ε) then clipped to bounds). */
  readonly init?: AttackInit;
  /** Batch-norm mode of the attacked model (default 'eval'). */
  readonly modelMode?: ModelMode;
  /** The objective maximised when the request carries none (default 'cross-entropy'). */
  readonly objective?: AttackObjectiveId;
  /** κ of the `cw-margin` objective (default 0; the `cw` preset uses 50). */
  readonly confidence?: number;
  /** Runs from independent random starts; the strongest result per sample is kept (default 1). */
  readonly restarts?: number;
}

/** PGD defaults (Madry et al. 2018 CIFAR-10 settings, docs/methods/sat.md). */
export const pgdAttackDefaults = {
  steps: 10,
  stepSize: 2 / 255,
  init: 'uniform',
  modelMode: 'eval',
  objective: 'cross-entropy',
  confidence: 0,
  restarts: 1,
} as const satisfies Required<Omit<PgdAttackOptions, 'relativeStepSize'>>;

/**
 * L∞ projected gradient descent (Madry et al. 2018; docs/methods/conventions.md, PGD-CE and the TRADES KL attack) on a per-sample ε:
 * start (none / uniform / gaussian, seeded from `request.seed`), then `steps` times
 * x' ← Proj(x, x' + stepSize·sign(∇x' Σ objective(model(x'), y))), where `relativeStepSize`
 * replaces stepSize by relativeStepSize·max_i ε_i of the batch. `request.objective`
 * overrides the configured objective (TRADES: KL to the clean prediction). With the
 * `cw-margin` objective and κ = 50 this is the CW∞ evaluation of docs/methods/evaluation.md.
 *
 * @example
 * const attack = createPgdAttack({ steps: 20, stepSize: 2 / 255 });
 * const adversarial = attack.perturb({ model, inputs, labels, epsilon, seed }); // caller disposes
 */
export function createPgdAttack(options: PgdAttackOptions = {}): Attack {
  return createProjectedGradientAttack('pgd', 'linf', options, pgdAttackDefaults);
}

/** Shared by `pgd` and `pgd-l2`: validates the options and builds the attack. */
export function createProjectedGradientAttack(
  id: string,
  norm: 'linf' | 'l2',
  options: PgdAttackOptions,
  defaults: Required<Omit<PgdAttackOptions, 'relativeStepSize'>>,
): Attack {
  const steps = options.steps ?? defaults.steps;
  const stepSize = options.stepSize ?? defaults.stepSize;
  const restarts = options.restarts ?? defaults.restarts;
  assertInteger(id, 'steps', steps, 1);
  assertInteger(id, 'restarts', restarts, 1);
  if (!(stepSize >= 0)) throw new RangeError(`${id}: stepSize must be ≥ 0 (input units), got ${stepSize}`);
  const relative = options.relativeStepSize;
  if (relative !== undefined && !(relative > 0)) throw new RangeError(`${id}: relativeStepSize must be > 0, got ${relative}`);
  const settings = {
    id,
    norm,
    steps,
    stepSize: relative === undefined ? stepSize : { fractionOfLargestEpsilon: relative },
    restarts,
    init: options.init ?? defaults.init,
    modelMode: options.modelMode ?? defaults.modelMode,
    objective: resolveAttackObjective(options.objective ?? defaults.objective, {
      confidence: options.confidence ?? defaults.confidence,
    }),
  };
  return {
    specificationVersion: 'v1',
    id,
    norm,
    perturb: (request) => runProjectedGradientAttack(request, settings),
    perturbWithTrace: (request) => runProjectedGradientAttackWithTrace(request, settings),
  };
}
