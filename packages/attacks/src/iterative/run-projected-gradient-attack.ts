import { deriveSeed } from '@robustfair/core';
import type { AttackInit, AttackObjective, AttackRequest, AttackTrace, ModelMode } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { ascentDirection, perSampleRadius, projectOntoBall, startInBall, type AttackNorm } from '../norms/ball-geometry.js';
import { keepStronger, type AttackOutcome } from './keep-stronger.js';
import { misclassified, objectiveGradient } from './objective-gradient.js';
import { validateAttackRequest } from './validate-request.js';

/** What tells PGD L∞, PGD L2 and their presets apart. */
export interface ProjectedGradientSettings {
  readonly id: string;
  readonly norm: AttackNorm;
  readonly steps: number;
  /**
   * In input units; `'epsilon'` steps each sample by its own ε; `fractionOfLargestEpsilon` steps
   * every sample by that fraction of the batch's largest ε (FRL-Reweight+Remargin: 1/4).
   */
  readonly stepSize: number | 'epsilon' | { readonly fractionOfLargestEpsilon: number };
  readonly init: AttackInit;
  readonly modelMode: ModelMode;
  /** Used when the request carries none. */
  readonly objective: AttackObjective;
  /** Independent runs from different random starts; the strongest per sample is kept (default 1). */
  readonly restarts: number;
}

/**
 * Projected gradient ascent on each sample's own ε ball (docs/methods/conventions.md#pgd-with-cross-entropy-and-a-uniform-start-pgd-ce for L∞; L2 steps along
 * g/‖g‖₂ and projects radially): `steps` times x' ← Proj(x' + stepSize·direction(∇x' objective)).
 * With `restarts > 1` the run is repeated from starts seeded by `deriveSeed(seed, 'restart', r)`
 * (restart 0 uses `request.seed` itself, so one restart equals the plain attack) and, per sample,
 * a misclassified result beats a correct one, then the higher objective wins.
 * Each step is tidied and the previous iterate disposed (HOUSE-STYLE B7.3). Returns a new tensor.
 */
export function runProjectedGradientAttack(request: AttackRequest, settings: ProjectedGradientSettings): tf.Tensor4D {
  const { adversarial, stepsCorrect } = runTraced(request, settings, false);
  stepsCorrect?.dispose();
  return adversarial;
}

/**
 * {@link runProjectedGradientAttack} plus Fair-ARD's κ (docs/methods/fair-ard.md): per sample, the number
 * of steps before which the model classified the current iterate correctly (start included,
 * last iterate excluded), read from the forward pass each step already makes.
 */
export function runProjectedGradientAttackWithTrace(request: AttackRequest, settings: ProjectedGradientSettings): AttackTrace {
  const { adversarial, stepsCorrect } = runTraced(request, settings, true);
  return { adversarial, stepsCorrect: stepsCorrect as tf.Tensor1D };
}

function runTraced(
  request: AttackRequest,
  settings: ProjectedGradientSettings,
  trace: boolean,
): { adversarial: tf.Tensor4D; stepsCorrect?: tf.Tensor1D } {
  validateAttackRequest(request, settings.id);
  const radius = perSampleRadius(request.epsilon);
  try {
    if (settings.restarts === 1) return runOnce(request, settings, radius, request.seed, trace);
    let best: AttackOutcome | undefined;
    let firstTrace: tf.Tensor1D | undefined;
    for (let restart = 0; restart < settings.restarts; restart++) {
      const seed = restart === 0 ? request.seed : deriveSeed(request.seed, 'restart', restart);
      const run = runOnce(request, settings, radius, seed, trace && restart === 0);
      if (run.stepsCorrect !== undefined) firstTrace = run.stepsCorrect;
      const adversarial = run.adversarial;
      const outcome = tf.tidy(() => {
        const logits = request.model.logits(adversarial, { training: settings.modelMode === 'train' });
        const objective = request.objective ?? settings.objective;
        return { adversarial, fooled: misclassified(logits, request.labels), loss: objective(logits, request.labels) };
      });
      best = best === undefined ? outcome : keepStronger(best, outcome);
    }
    const result = best as AttackOutcome;
    tf.dispose([result.fooled, result.loss]);
    return firstTrace === undefined ? { adversarial: result.adversarial } : { adversarial: result.adversarial, stepsCorrect: firstTrace };
  } finally {
    radius.dispose();
  }
}

function runOnce(
  request: AttackRequest,
  settings: ProjectedGradientSettings,
  radius: tf.Tensor4D,
  seed: number,
  trace: boolean,
): { adversarial: tf.Tensor4D; stepsCorrect?: tf.Tensor1D } {
  const { model, inputs, labels } = request;
  const context = {
    model,
    labels,
    objective: request.objective ?? settings.objective,
    training: settings.modelMode === 'train',
  };
  const stepSize =
    settings.stepSize === 'epsilon'
      ? radius
      : typeof settings.stepSize === 'number'
        ? settings.stepSize
        : tf.tidy(() => tf.mul(tf.max(request.epsilon), (settings.stepSize as { fractionOfLargestEpsilon: number }).fractionOfLargestEpsilon) as tf.Scalar);
  let adversarial = startInBall(settings.norm, inputs, radius, settings.init, seed, model.bounds);
  let stepsCorrect: tf.Tensor1D | undefined = trace ? tf.zeros([inputs.shape[0]]) : undefined;
  for (let step = 0; step < settings.steps; step++) {
    const previous = adversarial;
    const previousCount = stepsCorrect;
    try {
      const next = tf.tidy(() => {
        const { loss, gradient, logits } = objectiveGradient(previous, context);
        // the logits of this step's forward pass are the "before the step" check of κ
        const counted = previousCount === undefined ? undefined : tf.add(previousCount, tf.cast(tf.logicalNot(misclassified(logits, labels)), 'float32'));
        tf.dispose([loss, logits]);
        const stepped = tf.add(previous, tf.mul(ascentDirection(settings.norm, gradient), stepSize)) as tf.Tensor4D;
        const projected = projectOntoBall(settings.norm, stepped, inputs, radius, model.bounds);
        return counted === undefined ? { projected } : { projected, counted: counted as tf.Tensor1D };
      });
      adversarial = next.projected;
      stepsCorrect = next.counted;
    } finally {
      previous.dispose();
      previousCount?.dispose();
    }
  }
  if (typeof settings.stepSize === 'object') (stepSize as tf.Tensor).dispose();
  return stepsCorrect === undefined ? { adversarial } : { adversarial, stepsCorrect };
}

