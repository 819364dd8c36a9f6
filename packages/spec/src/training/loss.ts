import type * as tf from '@tensorflow/tfjs-core';
import type { AttackObjective } from '../attack/attack.js';
import type { PluginContext, PluginDescriptor } from '../plugin/plugin-descriptor.js';

/**
 * Per-sample, UNREDUCED, UNSCALED loss terms. The loop multiplies them by the method's
 * coefficients and the class knobs, then reduces once (HOUSE-STYLE B1.4, decision 5).
 */
export interface LossTerms {
  readonly natural: tf.Tensor1D;
  readonly robust: tf.Tensor1D;
}

/** Train-mode student logits on the clean and the adversarial batch. */
export interface LossInput {
  readonly labels: tf.Tensor1D;
  readonly student: { readonly natural: tf.Tensor2D; readonly adversarial: tf.Tensor2D };
}

/** The method's fixed coefficients: loss_i = natural·w_nat[y_i]·natural_i + robust·w_rob[y_i]·robust_i. */
export interface LossCoefficients {
  readonly natural: number;
  readonly robust: number;
}

/** Which train-mode forward comes first; it decides the order of batch-norm running-stat updates. */
export type ForwardOrder = 'natural-first' | 'adversarial-first';

/**
 * A teacher-free training objective (SAT, TRADES). Lives in `@robustfair/distillers`.
 */
export interface TrainingObjective {
  readonly specificationVersion: 'v1';
  readonly id: string;
  readonly coefficients: LossCoefficients;
  readonly forwardOrder: ForwardOrder;
  /** true when `loss` reads `student.natural`; false lets the loop skip that forward (SAT). */
  readonly needsNaturalLogits: boolean;
  /**
   * What the training attack maximises, given the student's eval-mode logits on the clean
   * batch (TRADES: KL to their softmax). Absent: the attack's own objective (cross-entropy).
   * The loop owns `naturalLogits` and disposes it after the attack.
   */
  attackObjective?(naturalLogits: tf.Tensor2D): AttackObjective;
  /** When `needsNaturalLogits` is false, `student.natural` is the adversarial logits again. */
  loss(input: LossInput): LossTerms;
}

export type ObjectivePlugin<Options = unknown> = PluginDescriptor<'objective', Options, TrainingObjective, PluginContext>;
