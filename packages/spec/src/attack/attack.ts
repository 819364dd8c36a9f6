import type * as tf from '@tensorflow/tfjs-core';
import type { Model } from '../model/model.js';
import type { PluginContext, PluginDescriptor } from '../plugin/plugin-descriptor.js';

/**
 * What an attack maximises, per sample: cross-entropy on the labels, KL to a target
 * distribution, a margin. Pure tensor maths; it must not dispose its inputs.
 */
export type AttackObjective = (logits: tf.Tensor2D, labels: tf.Tensor1D) => tf.Tensor1D;

/** How the attack starts: no noise, U(-ε, ε), or 0.001·N(0, 1) (TRADES/RSLAD, docs/methods/conventions.md#the-trades-kl-attack-with-a-gaussian-start). */
export type AttackInit = 'none' | 'uniform' | 'gaussian';

/** Batch-norm mode of the attacked model: eval leaves running statistics untouched. */
export type ModelMode = 'eval' | 'train';

export interface AttackRequest {
  /** Passed per call: one attack serves student, teacher and evaluation. */
  readonly model: Model;
  readonly inputs: tf.Tensor4D;
  readonly labels: tf.Tensor1D;
  /** Per-sample radius in input units (gathered from ClassKnobs.epsilon); shape [batch]. */
  readonly epsilon: tf.Tensor1D;
  /** Overrides the attack's own objective (e.g. the TRADES KL to the clean prediction). */
  readonly objective?: AttackObjective;
  /** Seeds the random start; the same seed gives the same result. */
  readonly seed: number;
  /**
   * Optional: called synchronously between the units of a long attack (AutoAttack's stages,
   * APGD's targets and restarts, FAB's targets, Square's queries), so that progress can be
   * shown while `perturb` blocks for minutes. Attacks may ignore it; it never changes the result.
   */
  readonly onProgress?: (progress: AttackProgress) => void;
}

/** A unit of a long attack that just finished (see `AttackRequest.onProgress`). */
export interface AttackProgress {
  /** What finished, for a progress line: e.g. `apgd-t target 3/9`, `square query 1000/5000`. */
  readonly step: string;
}

/**
 * What an iterative attack can report besides its result, per sample (optional; Fair-ARD's κ,
 * docs/methods/fair-ard.md). Both tensors are new and owned by the caller.
 */
export interface AttackTrace {
  /** The adversarial batch, exactly what `perturb` returns for the same request. */
  readonly adversarial: tf.Tensor4D;
  /**
   * float32 [batch]: at how many iterations the model classified the current iterate correctly,
   * checked before each step from the start point on (so in 0..steps). With restarts, the
   * first run's count.
   */
  readonly stepsCorrect: tf.Tensor1D;
}

export interface Attack {
  readonly specificationVersion: 'v1';
  readonly id: string;
  readonly norm: 'linf' | 'l2';
  /**
   * Returns a NEW tensor owned by the caller, inside the model's bounds and inside each
   * sample's own ε ball. Never mutates or disposes its inputs and leaves no other tensor alive.
   * Never computes weight gradients.
   */
  perturb(request: AttackRequest): tf.Tensor4D;
  /**
   * Optional: `perturb` plus a per-sample trace of the run (see {@link AttackTrace}), for
   * methods that read how long a sample resisted (Fair-ARD). Attacks without it have no
   * per-step notion of correctness (e.g. Square, AutoAttack). Same ownership rules as `perturb`.
   */
  perturbWithTrace?(request: AttackRequest): AttackTrace;
}

export type AttackPlugin<Options = unknown> = PluginDescriptor<'attack', Options, Attack, PluginContext>;
