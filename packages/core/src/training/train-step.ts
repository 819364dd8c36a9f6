import { IncompatiblePluginsError, type ClassKnobs, type ClassSignal } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import type { createClassAccumulator } from '../statistics/class-accumulator.js';
import { disposeAll } from '../tensor/memory.js';
import type { FitOptions } from './fit-options.js';
import type { KnobTensors } from './knob-tensors.js';
import type { LossPlan } from './loss-plan.js';
import { perSampleSignals } from './per-sample-signals.js';
import type { createSgdOptimizer } from './sgd.js';

export interface StepContext extends FitOptions {
  readonly plan: LossPlan;
  readonly knobTensors: KnobTensors;
  readonly learningRateTensor: tf.Scalar;
  readonly sgd: ReturnType<typeof createSgdOptimizer>;
  readonly variables: readonly tf.Variable[];
  readonly accumulator: ReturnType<typeof createClassAccumulator>;
  readonly trainSignals: readonly ClassSignal[];
  readonly needsCleanEval: boolean;
  readonly reduction: NonNullable<ClassKnobs['reduction']>;
}

/** One batch: attack, weighted loss, SGD step, per-class sums. Returns the batch loss (owned by the caller). */
export function trainStep(context: StepContext, inputs: tf.Tensor4D, labels: tf.Tensor1D, attackSeed: number): tf.Scalar {
  const { model, plan, knobTensors } = context;
  const epsilon = tf.tidy(() => tf.gather(knobTensors.epsilon, tf.cast(labels, 'int32')) as tf.Tensor1D);
  const batchLoss = plan.prepare({ student: model, inputs, labels, knobs: knobTensors, needsCleanEval: context.needsCleanEval });
  const attackObjective = batchLoss.attackObjective;
  const request = { model, inputs, labels, epsilon, seed: attackSeed, ...(attackObjective ? { objective: attackObjective } : {}) };
  let adversarialInputs: tf.Tensor4D;
  let stepsCorrect: tf.Tensor1D | undefined;
  if (context.trainSignals.includes('kappa')) {
    if (!context.attack.perturbWithTrace) {
      throw new IncompatiblePluginsError(`signal 'kappa' needs an attack with perturbWithTrace; attack '${context.attack.id}' has none`);
    }
    ({ adversarial: adversarialInputs, stepsCorrect } = context.attack.perturbWithTrace(request));
  } else {
    adversarialInputs = context.attack.perturb(request);
  }
  batchLoss.afterAttack(adversarialInputs);

  let signals: Partial<Record<ClassSignal, tf.Tensor1D>> = {};
  const { value, grads } = tf.variableGrads(
    () =>
      tf.tidy(() => {
        const forward = (batch: tf.Tensor4D) => model.logits(batch, { training: true });
        let natural: tf.Tensor2D | undefined;
        let adversarial: tf.Tensor2D;
        if (plan.needsNaturalLogits && plan.forwardOrder === 'natural-first') {
          natural = forward(inputs);
          adversarial = forward(adversarialInputs);
        } else {
          adversarial = forward(adversarialInputs);
          if (plan.needsNaturalLogits) natural = forward(inputs);
        }
        const terms = batchLoss.terms(labels, { natural: natural ?? adversarial, adversarial });
        const index = tf.cast(labels, 'int32');
        const naturalWeight = tf.gather(knobTensors.naturalWeight, index);
        const robustWeight = tf.gather(knobTensors.robustWeight, index);
        const { natural: naturalCoefficient, robust: robustCoefficient } = plan.coefficients;
        const weightedNatural = tf.mul(naturalWeight, terms.natural) as tf.Tensor1D;
        const weightedRobust = tf.mul(robustWeight, terms.robust) as tf.Tensor1D;
        const loss = reduceLoss(weightedNatural, weightedRobust, naturalWeight, robustWeight, naturalCoefficient, robustCoefficient, context.reduction);
        const clean = natural ?? batchLoss.cleanEval;
        signals = perSampleSignals(context.trainSignals, {
          labels,
          adversarial,
          naturalLoss: terms.natural,
          robustLoss: terms.robust,
          ...(clean ? { natural: clean } : {}),
          ...(stepsCorrect ? { stepsCorrect } : {}),
        });
        for (const tensor of Object.values(signals)) tf.keep(tensor);
        return loss;
      }),
    [...context.variables],
  );
  context.sgd.step(grads, context.learningRateTensor);
  context.accumulator.add(labels, signals, value);
  batchLoss.dispose();
  disposeAll(...Object.values(grads), ...Object.values(signals), epsilon, adversarialInputs, stepsCorrect);
  return value;
}

export function reduceLoss(
  weightedNatural: tf.Tensor1D,
  weightedRobust: tf.Tensor1D,
  naturalWeight: tf.Tensor,
  robustWeight: tf.Tensor,
  naturalCoefficient: number,
  robustCoefficient: number,
  reduction: NonNullable<ClassKnobs['reduction']>,
): tf.Scalar {
  if (reduction === 'mean') {
    return tf.mean(tf.add(tf.mul(weightedNatural, naturalCoefficient), tf.mul(weightedRobust, robustCoefficient)));
  }
  if (reduction === 'joint-weight-normalised') {
    const weighted = tf.add(tf.mul(weightedNatural, naturalCoefficient), tf.mul(weightedRobust, robustCoefficient));
    return tf.div(tf.sum(weighted), tf.add(tf.sum(naturalWeight), tf.sum(robustWeight)));
  }
  const natural = tf.div(tf.sum(weightedNatural), tf.sum(naturalWeight));
  const robust = tf.div(tf.sum(weightedRobust), tf.sum(robustWeight));
  return tf.add(tf.mul(natural, naturalCoefficient), tf.mul(robust, robustCoefficient));
}
