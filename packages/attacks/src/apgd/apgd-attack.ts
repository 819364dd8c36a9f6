import { deriveSeed } from '@robustfair/core';
import type { Attack, AttackObjective, AttackRequest, ModelMode } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { keepStronger, type AttackOutcome } from '../iterative/keep-stronger.js';
import { assertInteger, validateAttackRequest } from '../iterative/validate-request.js';
import { perSampleRadius, type AttackNorm } from '../norms/ball-geometry.js';
import { crossEntropyObjective } from '../objectives/cross-entropy-objective.js';
import { dlrMinimumClasses, dlrObjective, createTargetedDlrObjective, targetedDlrMinimumClasses } from '../objectives/dlr-objective.js';
import { runApgd } from './run-apgd.js';

/** The loss an untargeted APGD maximises: cross-entropy (`apgd-ce`) or DLR (`apgd-dlr`). */
export type ApgdLoss = 'cross-entropy' | 'dlr';

/** Options shared by APGD and APGD-T; every field has a default. */
export interface ApgdCommonOptions {
  /** Iterations N per run (default 100, as AutoAttack; torchattacks uses 10, docs/methods/autoattack.md#torchattacks-is-not-the-official-package). */
  readonly steps?: number;
  /** Runs per sample from independent starts (default 1). */
  readonly restarts?: number;
  /** ρ of the step-size rule (default 0.75). */
  readonly rho?: number;
  /** Threat model (default 'linf'). */
  readonly norm?: AttackNorm;
  /** Forward passes averaged per gradient, for randomised models (default 1; AutoAttack `rand` uses 20). */
  readonly eotIterations?: number;
  /** Batch-norm mode of the attacked model (default 'eval'). */
  readonly modelMode?: ModelMode;
}

/** Options of {@link createApgdAttack}. */
export interface ApgdAttackOptions extends ApgdCommonOptions {
  /** Default 'cross-entropy'. */
  readonly loss?: ApgdLoss;
}

/** Options of {@link createApgdTargetedAttack}. */
export interface ApgdTargetedAttackOptions extends ApgdCommonOptions {
  /** How many target classes, the 2nd … (targets+1)-th highest clean logits (default 9); at most numClasses − 1. */
  readonly targets?: number;
}

/** APGD defaults (AutoAttack `standard`, docs/methods/autoattack.md). */
export const apgdAttackDefaults = {
  steps: 100,
  restarts: 1,
  rho: 0.75,
  norm: 'linf',
  eotIterations: 1,
  modelMode: 'eval',
  loss: 'cross-entropy',
} as const satisfies Required<ApgdAttackOptions>;

/** APGD-T defaults (AutoAttack `standard`: 9 targets). */
export const apgdTargetedAttackDefaults = {
  steps: 100,
  restarts: 1,
  rho: 0.75,
  norm: 'linf',
  eotIterations: 1,
  modelMode: 'eval',
  targets: 9,
} as const satisfies Required<ApgdTargetedAttackOptions>;

function resolveCommon(id: string, options: ApgdCommonOptions) {
  const settings = {
    steps: options.steps ?? apgdAttackDefaults.steps,
    restarts: options.restarts ?? apgdAttackDefaults.restarts,
    rho: options.rho ?? apgdAttackDefaults.rho,
    norm: options.norm ?? apgdAttackDefaults.norm,
    eotIterations: options.eotIterations ?? apgdAttackDefaults.eotIterations,
    modelMode: options.modelMode ?? apgdAttackDefaults.modelMode,
  };
  assertInteger(id, 'steps', settings.steps, 1);
  assertInteger(id, 'restarts', settings.restarts, 1);
  assertInteger(id, 'eotIterations', settings.eotIterations, 1);
  if (!(settings.rho > 0 && settings.rho <= 1)) throw new RangeError(`${id}: rho must be in (0, 1], got ${settings.rho}`);
  return settings;
}

type CommonSettings = ReturnType<typeof resolveCommon>;

/** Restart r's seed: restart 0 uses the request's seed, later ones derive their own. */
function restartSeed(seed: number, ...parts: readonly (string | number)[]): number {
  return parts.every((part) => part === 0) ? seed : deriveSeed(seed, 'apgd', ...parts);
}

function runRestarts(
  request: AttackRequest,
  settings: CommonSettings,
  radius: tf.Tensor4D,
  objective: AttackObjective,
  report: ((step: string) => void) | undefined,
  ...seedParts: readonly (string | number)[]
): AttackOutcome {
  let best: AttackOutcome | undefined;
  for (let restart = 0; restart < settings.restarts; restart++) {
    const outcome = runApgd({
      model: request.model,
      inputs: request.inputs,
      labels: request.labels,
      radius,
      objective,
      training: settings.modelMode === 'train',
      seed: restartSeed(request.seed, ...seedParts, restart),
      norm: settings.norm,
      steps: settings.steps,
      rho: settings.rho,
      eotIterations: settings.eotIterations,
      ...(report && {
        onIterations: (done: number) => report(`${settings.restarts > 1 ? `restart ${restart + 1}/${settings.restarts} ` : ''}iteration ${done}/${settings.steps}`),
      }),
    });
    best = best === undefined ? outcome : keepStronger(best, outcome);
    if (settings.restarts > 1) report?.(`restart ${restart + 1}/${settings.restarts} done`);
  }
  return best as AttackOutcome;
}

/** Progress of one APGD run as `<id><prefix> <step>` lines (iterations, restarts), when the request asks for it. */
const progressOf = (request: AttackRequest, id: string, prefix = '') =>
  request.onProgress ? (step: string) => request.onProgress?.({ step: `${id}${prefix} ${step}` }) : undefined;

function finish(outcome: AttackOutcome): tf.Tensor4D {
  tf.dispose([outcome.fooled, outcome.loss]);
  return outcome.adversarial;
}

/**
 * Auto-PGD (Croce and Hein, ICML 2020; docs/methods/autoattack.md) on a per-sample ε: a budget-aware PGD with
 * momentum and a per-sample step size halved at checkpoints, so it needs no step-size tuning.
 * `loss: 'cross-entropy'` is AutoAttack's APGD-CE (id `apgd-ce`), `'dlr'` its APGD-DLR (id
 * `apgd-dlr`, needs ≥ 3 classes). `request.objective` replaces the configured loss.
 *
 * @example
 * const adversarial = createApgdAttack({ steps: 100 }).perturb({ model, inputs, labels, epsilon, seed });
 */
export function createApgdAttack(options: ApgdAttackOptions = {}): Attack {
  const loss = options.loss ?? apgdAttackDefaults.loss;
  const id = loss === 'dlr' ? 'apgd-dlr' : 'apgd-ce';
  const settings = resolveCommon(id, options);
  return {
    specificationVersion: 'v1',
    id,
    norm: settings.norm,
    perturb: (request) => {
      validateAttackRequest(request, id);
      if (loss === 'dlr' && request.objective === undefined && request.model.numClasses < dlrMinimumClasses) {
        throw new RangeError(`${id}: the DLR loss needs at least ${dlrMinimumClasses} classes, but the model has ${request.model.numClasses}`);
      }
      const objective = request.objective ?? (loss === 'dlr' ? dlrObjective : crossEntropyObjective);
      const radius = perSampleRadius(request.epsilon);
      try {
        return finish(runRestarts(request, settings, radius, objective, progressOf(request, id)));
      } finally {
        radius.dispose();
      }
    },
  };
}

/**
 * Throws a RangeError naming both numbers unless `targets` target classes fit a model with
 * `numClasses` classes (targets ≤ numClasses − 1 and numClasses ≥ 4 for the targeted DLR;
 * auto-attack issues #70, #110).
 */
export function assertTargetsFit(id: string, targets: number, numClasses: number): void {
  assertInteger(id, 'targets', targets, 1);
  if (numClasses < targetedDlrMinimumClasses) {
    throw new RangeError(`${id}: the targeted DLR loss needs at least ${targetedDlrMinimumClasses} classes, but the model has ${numClasses}`);
  }
  if (targets > numClasses - 1) {
    throw new RangeError(`${id}: targets (${targets}) must be at most numClasses − 1 (${numClasses - 1}); the model has ${numClasses} classes`);
  }
}

/**
 * APGD-T (docs/methods/autoattack.md): for each of the `targets` classes with the 2nd, 3rd, … highest clean
 * logit, one APGD run (per restart) on the targeted DLR loss toward that class; a sample counts
 * as broken when any run misclassifies it (any wrong class, not only the target). Id `apgd-t`.
 * When the request carries an objective, it replaces the targeted loss and a single set of
 * restarts runs.
 */
export function createApgdTargetedAttack(options: ApgdTargetedAttackOptions = {}): Attack {
  const id = 'apgd-t';
  const settings = resolveCommon(id, options);
  const targets = options.targets ?? apgdTargetedAttackDefaults.targets;
  assertInteger(id, 'targets', targets, 1);
  return {
    specificationVersion: 'v1',
    id,
    norm: settings.norm,
    perturb: (request) => {
      validateAttackRequest(request, id);
      const radius = perSampleRadius(request.epsilon);
      try {
        if (request.objective !== undefined) {
          return finish(runRestarts(request, settings, radius, request.objective, progressOf(request, id)));
        }
        assertTargetsFit(id, targets, request.model.numClasses);
        const ranking = tf.tidy(() => {
          const clean = request.model.logits(request.inputs, { training: settings.modelMode === 'train' });
          return tf.topk(clean, targets + 1).indices;
        });
        let best: AttackOutcome | undefined;
        try {
          for (let target = 1; target <= targets; target++) {
            const targetLabels = tf.tidy(() => tf.reshape(tf.slice(ranking, [0, target], [-1, 1]), [-1]) as tf.Tensor1D);
            try {
              const report = progressOf(request, id, ` target ${target}/${targets}`);
              const outcome = runRestarts(request, settings, radius, createTargetedDlrObjective(targetLabels), report, target - 1);
              best = best === undefined ? outcome : keepStronger(best, outcome);
              request.onProgress?.({ step: `${id} target ${target}/${targets} done` });
            } finally {
              targetLabels.dispose();
            }
          }
        } finally {
          ranking.dispose();
        }
        return finish(best as AttackOutcome);
      } finally {
        radius.dispose();
      }
    },
  };
}
