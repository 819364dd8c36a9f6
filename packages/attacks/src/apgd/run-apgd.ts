import type { AttackObjective, Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { ascentDirection, projectOntoBall, startOnSphere, type AttackNorm } from '../norms/ball-geometry.js';
import type { AttackOutcome } from '../iterative/keep-stronger.js';
import { imageMask, misclassified, objectiveGradient } from '../iterative/objective-gradient.js';

/** One APGD run's inputs; tensors are borrowed. */
export interface ApgdRun {
  readonly model: Model;
  readonly inputs: tf.Tensor4D;
  readonly labels: tf.Tensor1D;
  /** Per-sample ε, [batch, 1, 1, 1]. */
  readonly radius: tf.Tensor4D;
  readonly objective: AttackObjective;
  readonly training: boolean;
  readonly seed: number;
  readonly norm: AttackNorm;
  readonly steps: number;
  /** ρ: the fraction of increasing steps below which the step size is halved (0.75). */
  readonly rho: number;
  readonly eotIterations: number;
  /** Called with the iterations done every {@link apgdProgressEvery} iterations (for progress lines). */
  readonly onIterations?: (done: number) => void;
}

/** Iterations between `onIterations` calls. */
export const apgdProgressEvery = 5;

/** The checkpoint schedule of APGD for N iterations (docs/methods/autoattack.md). */
export interface ApgdSchedule {
  readonly initialInterval: number;
  readonly decrease: number;
  readonly minimumInterval: number;
}

/** ⌊0.22N⌋, ⌊0.03N⌋ and ⌊0.06N⌋, each at least 1 (autopgd_base.py `n_iter_2`, `size_decr`, `n_iter_min`). */
export function apgdSchedule(steps: number): ApgdSchedule {
  return {
    initialInterval: Math.max(Math.floor(0.22 * steps), 1),
    decrease: Math.max(Math.floor(0.03 * steps), 1),
    minimumInterval: Math.max(Math.floor(0.06 * steps), 1),
  };
}

/** Iteration counts (1-based) after which APGD checks its step size: 22, 41, 57, 70, 80, 87, 93, 99 for N = 100. */
export function apgdCheckpoints(steps: number): number[] {
  const { initialInterval, decrease, minimumInterval } = apgdSchedule(steps);
  const checkpoints: number[] = [];
  let interval = initialInterval;
  let at = interval;
  while (at <= steps) {
    checkpoints.push(at);
    interval = Math.max(interval - decrease, minimumInterval);
    at += interval;
  }
  return checkpoints;
}

/**
 * One run of Auto-PGD (Croce and Hein 2020; docs/methods/autoattack.md), per sample and entirely on the device:
 * start on the ε sphere, step size η = 2ε, momentum step
 * x_{k+1} = Proj(x_k + a·(Proj(x_k + η·dir(g_k)) − x_k) + (1 − a)·(x_k − x_{k−1})), a = 1 then 0.75;
 * keeps the highest-loss point (and its gradient) and any misclassified iterate; at each
 * checkpoint halves η (restarting from the best point) for samples whose loss increased in at
 * most ρ·interval steps, or that were not halved last time and did not improve since.
 *
 * As in `autopgd_base.py`, the first window compares the first loss with 0 (the unset
 * `loss_steps[-1]` row): kept for parity.
 *
 * Returns the misclassified iterate where one was found, else the highest-loss point; owned by the caller.
 */
export function runApgd(run: ApgdRun): AttackOutcome {
  const { model, inputs, labels, radius, norm, rho } = run;
  const context = { model, labels, objective: run.objective, training: run.training, eotIterations: run.eotIterations };
  const schedule = apgdSchedule(run.steps);
  const held: Record<string, tf.Tensor> = {};
  /** Replaces a held state tensor, disposing the old one (tensors shared between slots are cloned on entry). */
  const set = (name: string, value: tf.Tensor) => {
    const old = held[name];
    held[name] = value;
    if (old !== undefined && old !== value) old.dispose();
  };
  const get = <T extends tf.Tensor>(name: string) => held[name] as T;
  try {
    set('x', startOnSphere(norm, inputs, radius, run.seed, model.bounds));
    const first = objectiveGradient(get('x'), context);
    set('gradient', first.gradient);
    set('fooled', misclassified(first.logits, labels));
    first.logits.dispose();
    set('bestAdversarial', tf.clone(get('x')));
    set('xBest', tf.clone(get('x')));
    set('gradientBest', tf.clone(get('gradient')));
    set('lossBest', first.loss);
    set('stepSize', tf.mul(radius, 2));
    set('xOld', tf.clone(get('x')));
    set('lossBestLastCheck', tf.clone(get('lossBest')));
    set('reducedLastCheck', tf.ones([inputs.shape[0]], 'bool'));
    set('increases', tf.zeros([inputs.shape[0]]));
    set('previousLoss', tf.zeros([inputs.shape[0]]));
    let interval = schedule.initialInterval;
    let sinceCheck = 0;
    for (let iteration = 0; iteration < run.steps; iteration++) {
      const momentum = iteration > 0 ? 0.75 : 1;
      const next = tf.tidy(() => {
        const x = get<tf.Tensor4D>('x');
        const direction = ascentDirection(norm, get<tf.Tensor4D>('gradient'));
        const plain = projectOntoBall(norm, tf.add(x, tf.mul(get('stepSize'), direction)) as tf.Tensor4D, inputs, radius, model.bounds);
        const mixed = tf.add(tf.add(x, tf.mul(tf.sub(plain, x), momentum)), tf.mul(tf.sub(x, get('xOld')), 1 - momentum));
        return projectOntoBall(norm, mixed as tf.Tensor4D, inputs, radius, model.bounds);
      });
      set('xOld', get('x'));
      held['x'] = next; // the old x now lives on as xOld
      const evaluated = objectiveGradient(next, context);
      set('gradient', evaluated.gradient);
      const updates = tf.tidy(() => {
        const fooledNow = misclassified(evaluated.logits, labels);
        const improved = tf.greater(evaluated.loss, get('lossBest')) as tf.Tensor1D;
        return {
          bestAdversarial: tf.where(imageMask(fooledNow), next, get('bestAdversarial')),
          fooled: tf.logicalOr(get('fooled'), fooledNow),
          xBest: tf.where(imageMask(improved), next, get('xBest')),
          gradientBest: tf.where(imageMask(improved), evaluated.gradient, get('gradientBest')),
          lossBest: tf.where(improved, evaluated.loss, get('lossBest')),
          increases: tf.add(get('increases'), tf.cast(tf.greater(evaluated.loss, get('previousLoss')), 'float32')),
        };
      });
      for (const [name, value] of Object.entries(updates)) set(name, value);
      set('previousLoss', evaluated.loss);
      evaluated.logits.dispose();
      sinceCheck += 1;
      if (sinceCheck === interval) {
        const checked = tf.tidy(() => {
          const oscillating = tf.lessEqual(get('increases'), interval * rho);
          const stalled = tf.logicalAnd(tf.logicalNot(get('reducedLastCheck')), tf.greaterEqual(get('lossBestLastCheck'), get('lossBest')));
          const reduce = tf.logicalOr(oscillating, stalled) as tf.Tensor1D;
          const mask = imageMask(reduce);
          return {
            reducedLastCheck: reduce,
            lossBestLastCheck: tf.clone(get('lossBest')),
            stepSize: tf.where(mask, tf.div(get('stepSize'), 2), get('stepSize')),
            x: tf.where(mask, get('xBest'), get('x')),
            gradient: tf.where(mask, get('gradientBest'), get('gradient')),
            increases: tf.zerosLike(get('increases')),
          };
        });
        for (const [name, value] of Object.entries(checked)) set(name, value);
        interval = Math.max(interval - schedule.decrease, schedule.minimumInterval);
        sinceCheck = 0;
      }
      if ((iteration + 1) % apgdProgressEvery === 0 && iteration + 1 < run.steps) run.onIterations?.(iteration + 1);
    }
    const fooled = get<tf.Tensor1D>('fooled');
    const adversarial = tf.tidy(() => tf.where(imageMask(fooled), get('bestAdversarial'), get('xBest')) as tf.Tensor4D);
    const outcome = { adversarial, fooled: tf.clone(fooled), loss: tf.clone(get<tf.Tensor1D>('lossBest')) };
    return outcome;
  } finally {
    tf.dispose(Object.values(held));
  }
}
