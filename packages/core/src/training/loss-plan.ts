import type { AttackObjective, Distiller, ForwardOrder, LossCoefficients, LossTerms, Model, TrainingObjective } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import type { KnobTensors } from './knob-tensors.js';

/** One batch's loss, set up before the attack and used inside the gradient tape. */
export interface BatchLoss {
  /** What the training attack maximises (undefined: the attack's own objective). */
  readonly attackObjective?: AttackObjective;
  /** Called with the adversarial batch, before the tape (e.g. the teacher's adversarial logits). */
  afterAttack(adversarialInputs: tf.Tensor4D): void;
  /** Per-sample terms from the student's train-mode logits. */
  terms(labels: tf.Tensor1D, student: { natural: tf.Tensor2D; adversarial: tf.Tensor2D }): LossTerms;
  /** Eval-mode clean logits of the student when they were computed anyway (for signals). */
  readonly cleanEval?: tf.Tensor2D;
  dispose(): void;
}

/**
 * What `fit()` needs from a loss, whether a teacher-free objective (SAT, TRADES) or a
 * distiller with its teacher (ARD, RSLAD): the method's coefficients, the forward order, and
 * per batch the attack objective and the per-sample terms.
 */
export interface LossPlan {
  readonly id: string;
  readonly coefficients: LossCoefficients;
  readonly forwardOrder: ForwardOrder;
  readonly needsNaturalLogits: boolean;
  readonly acceptsTemperature: boolean;
  prepare(context: { student: Model; inputs: tf.Tensor4D; labels: tf.Tensor1D; knobs: KnobTensors; needsCleanEval: boolean }): BatchLoss;
}

export function objectiveLossPlan(objective: TrainingObjective): LossPlan {
  return {
    id: objective.id,
    coefficients: objective.coefficients,
    forwardOrder: objective.forwardOrder,
    needsNaturalLogits: objective.needsNaturalLogits,
    acceptsTemperature: false,
    prepare({ student, inputs, labels, needsCleanEval }) {
      // TRADES attacks the KL to the student's own eval-mode clean prediction (docs/methods/conventions.md#the-trades-kl-attack-with-a-gaussian-start).
      const cleanEval = objective.attackObjective || needsCleanEval ? tf.tidy(() => student.logits(inputs, { training: false })) : undefined;
      const attackObjective = objective.attackObjective && cleanEval ? objective.attackObjective(cleanEval) : undefined;
      return {
        ...(attackObjective ? { attackObjective } : {}),
        ...(cleanEval ? { cleanEval } : {}),
        afterAttack: () => undefined,
        terms: (_labels, logits) => objective.loss({ labels, student: logits }),
        dispose: () => cleanEval?.dispose(),
      };
    },
  };
}

/**
 * A distiller with its frozen teacher (always eval mode, never differentiated): teacher logits
 * on the clean batch before the attack, on the adversarial batch after it when the distiller
 * asks, and per-sample temperatures gathered from the epoch's knobs.
 */
export function distillerLossPlan(distiller: Distiller, teacher: Model): LossPlan {
  return {
    id: distiller.id,
    coefficients: distiller.coefficients,
    forwardOrder: distiller.forwardOrder,
    needsNaturalLogits: true,
    acceptsTemperature: distiller.acceptsTemperature,
    prepare({ student, inputs, labels, knobs, needsCleanEval }) {
      const index = tf.tidy(() => tf.cast(labels, 'int32'));
      const teacherNatural = tf.tidy(() => teacher.logits(inputs, { training: false }));
      const temperature = {
        natural: tf.gather(knobs.temperatureNatural, index) as tf.Tensor1D,
        adversarial: tf.gather(knobs.temperatureAdversarial, index) as tf.Tensor1D,
      };
      index.dispose();
      const cleanEval = needsCleanEval ? tf.tidy(() => student.logits(inputs, { training: false })) : undefined;
      const attackObjective = distiller.attackObjective?.(teacherNatural, temperature);
      let teacherAdversarial: tf.Tensor2D | undefined;
      return {
        ...(attackObjective ? { attackObjective } : {}),
        ...(cleanEval ? { cleanEval } : {}),
        afterAttack: (adversarialInputs) => {
          if (distiller.needs.teacherAdversarial) teacherAdversarial = tf.tidy(() => teacher.logits(adversarialInputs, { training: false }));
        },
        terms: (_labels, logits) =>
          distiller.loss({
            labels,
            student: logits,
            teacher: { natural: teacherNatural, ...(teacherAdversarial ? { adversarial: teacherAdversarial } : {}) },
            temperature,
          }),
        dispose: () => tf.dispose([teacherNatural, temperature.natural, temperature.adversarial, ...(teacherAdversarial ? [teacherAdversarial] : []), ...(cleanEval ? [cleanEval] : [])]),
      };
    },
  };
}
