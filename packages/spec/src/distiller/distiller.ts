import type * as tf from '@tensorflow/tfjs-core';
import type { AttackObjective } from '../attack/attack.js';
import type { PluginContext, PluginDescriptor } from '../plugin/plugin-descriptor.js';
import type { ForwardOrder, LossCoefficients, LossInput, LossTerms } from '../training/loss.js';

/** Per-sample teacher temperatures (gathered from ClassKnobs.temperature, ABSLD). */
export interface SampleTemperatures {
  readonly natural: tf.Tensor1D;
  readonly adversarial: tf.Tensor1D;
}

export interface DistillationInput extends LossInput {
  /** Eval-mode teacher logits; the teacher never trains. */
  readonly teacher: { readonly natural: tf.Tensor2D; readonly adversarial?: tf.Tensor2D };
  readonly temperature: SampleTemperatures;
}

/**
 * A robust distillation loss (ARD, RSLAD; ABSLD = `rslad` + strategy `absld`). Returns
 * unscaled per-sample terms like a TrainingObjective.
 */
export interface Distiller {
  readonly specificationVersion: 'v1';
  readonly id: string;
  readonly coefficients: LossCoefficients;
  readonly forwardOrder: ForwardOrder;
  readonly needs: { readonly teacherAdversarial: boolean };
  /** false: the distiller ignores teacher temperatures, and a strategy that sets them fails at init. */
  readonly acceptsTemperature: boolean;
  /** What the training attack maximises, e.g. KL to softmax(teacher logits / T_adv[y]). */
  attackObjective?(teacherNatural: tf.Tensor2D, temperature: SampleTemperatures): AttackObjective;
  loss(input: DistillationInput): LossTerms;
}

export type DistillerPlugin<Options = unknown> = PluginDescriptor<'distiller', Options, Distiller, PluginContext>;
