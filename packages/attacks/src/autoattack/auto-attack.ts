import type { Attack } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { createApgdAttack, createApgdTargetedAttack } from '../apgd/apgd-attack.js';
import { createFabTargetedAttack } from '../fab/fab-targeted-attack.js';
import { assertInteger, validateAttackRequest } from '../iterative/validate-request.js';
import { createSquareAttack } from '../square/square-attack.js';
import { runCascade } from './run-cascade.js';

/** `standard`: APGD-CE, APGD-T, FAB-T, Square. `rand`: APGD-CE and APGD-DLR with EoT, for randomised models. */
export type AutoAttackVersion = 'standard' | 'rand';

/** Options of {@link createAutoAttack}; every field has a default. */
export interface AutoAttackOptions {
  /** Default 'standard'. */
  readonly version?: AutoAttackVersion;
  /** Iterations of APGD, APGD-T and FAB-T (default 100; torchattacks' AutoAttack uses 10, docs/methods/autoattack.md#torchattacks-is-not-the-official-package). */
  readonly steps?: number;
  /** Target classes of APGD-T and FAB-T (default 9, AutoAttack's CIFAR-10 value); at most numClasses − 1. */
  readonly targets?: number;
  /** Square's query budget (default 5000). */
  readonly squareQueries?: number;
  /** Forward passes averaged per gradient in `rand` (default 20). */
  readonly eotIterations?: number;
}

/** AutoAttack defaults (the official `standard` L∞ settings, docs/methods/autoattack.md). */
export const autoAttackDefaults = {
  version: 'standard',
  steps: 100,
  targets: 9,
  squareQueries: 5000,
  eotIterations: 20,
} as const satisfies Required<AutoAttackOptions>;

/** The component attacks of a version, in cascade order. */
export function autoAttackStages(options: AutoAttackOptions = {}): readonly Attack[] {
  const settings = {
    version: options.version ?? autoAttackDefaults.version,
    steps: options.steps ?? autoAttackDefaults.steps,
    targets: options.targets ?? autoAttackDefaults.targets,
    squareQueries: options.squareQueries ?? autoAttackDefaults.squareQueries,
    eotIterations: options.eotIterations ?? autoAttackDefaults.eotIterations,
  };
  if (settings.version === 'rand') {
    return [
      createApgdAttack({ loss: 'cross-entropy', steps: settings.steps, eotIterations: settings.eotIterations }),
      createApgdAttack({ loss: 'dlr', steps: settings.steps, eotIterations: settings.eotIterations }),
    ];
  }
  return [
    createApgdAttack({ loss: 'cross-entropy', steps: settings.steps }),
    createApgdTargetedAttack({ steps: settings.steps, targets: settings.targets }),
    createFabTargetedAttack({ steps: settings.steps, targets: settings.targets }),
    createSquareAttack({ queries: settings.squareQueries }),
  ];
}

/**
 * AutoAttack (Croce and Hein, ICML 2020; docs/methods/autoattack.md), L∞, model in eval mode: a parameter-free
 * ensemble run as a cascade, each attack only on the points still robust, a point counting as
 * broken once any attack finds a misclassified input inside its own ε ball. `standard` runs
 * APGD-CE → APGD-T → FAB-T → Square (the reference numbers); `rand` runs APGD-CE → APGD-DLR,
 * each averaging 20 stochastic gradients (EoT), for randomised defences. Returns the adversarial
 * input for broken points and the clean input for robust ones. Id `autoattack`; the evaluation
 * preset `aa` is this attack with its defaults.
 *
 * Throws before any work when `targets` does not fit the model (APGD-T needs targets ≤ C − 1 and C ≥ 4).
 */
export function createAutoAttack(options: AutoAttackOptions = {}): Attack {
  const version = options.version ?? autoAttackDefaults.version;
  const targets = options.targets ?? autoAttackDefaults.targets;
  assertInteger('autoattack', 'targets', targets, 1);
  const stages = autoAttackStages(options);
  return {
    specificationVersion: 'v1',
    id: 'autoattack',
    norm: 'linf',
    perturb: (request) => {
      validateAttackRequest(request, 'autoattack');
      if (version === 'standard' && (targets > request.model.numClasses - 1 || request.model.numClasses < 4)) {
        throw new RangeError(
          `autoattack: targets (${targets}) must be at most numClasses − 1 (${request.model.numClasses - 1}) and the model needs at least 4 classes; it has ${request.model.numClasses}`,
        );
      }
      const { adversarial } = runCascade(request, stages, `autoattack-${version}`);
      return adversarial as tf.Tensor4D;
    },
  };
}
