import type { AttackInit, AttackObjective, AttackRequest, ModelMode } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { linfSignStep } from './linf-sign-step.js';
import { startInBall } from '../norms/ball-geometry.js';

/** The settings that tell FGSM and PGD apart; both are iterated signed-gradient L∞ attacks. */
export interface LinfSignAttackSettings {
  readonly steps: number;
  /** A step size in input units, or `'epsilon'`: each sample steps by its own ε (FGSM). */
  readonly stepSize: number | 'epsilon';
  readonly init: AttackInit;
  readonly modelMode: ModelMode;
  /** Used when the request carries no objective. */
  readonly objective: AttackObjective;
}

/**
 * Runs `steps` signed-gradient steps from the chosen start, projecting onto each sample's own
 * ε ball and the model's bounds after every step. Each step is tidied and the previous iterate
 * disposed, so peak memory does not grow with `steps` (HOUSE-STYLE B7.3). Returns a new tensor
 * owned by the caller; never mutates or disposes the request's tensors.
 */
export function runLinfSignAttack(request: AttackRequest, settings: LinfSignAttackSettings): tf.Tensor4D {
  const { model, inputs, labels } = request;
  const batchSize = inputs.shape[0];
  if (request.epsilon.rank !== 1 || request.epsilon.shape[0] !== batchSize) {
    throw new RangeError(`epsilon must have shape [${batchSize}] (one radius per sample), got [${request.epsilon.shape.join(', ')}]`);
  }
  if (labels.shape[0] !== batchSize) {
    throw new RangeError(`labels must have shape [${batchSize}], got [${labels.shape.join(', ')}]`);
  }
  const { epsilon, ballLower, ballUpper } = tf.tidy(() => {
    const perSample = tf.reshape(request.epsilon, [batchSize, 1, 1, 1]) as tf.Tensor4D;
    return { epsilon: perSample, ballLower: tf.sub(inputs, perSample) as tf.Tensor4D, ballUpper: tf.add(inputs, perSample) as tf.Tensor4D };
  });
  try {
    const context = {
      model,
      labels,
      objective: request.objective ?? settings.objective,
      training: settings.modelMode === 'train',
      stepSize: settings.stepSize === 'epsilon' ? epsilon : settings.stepSize,
      ballLower,
      ballUpper,
      bounds: model.bounds,
    };
    let adversarial = startInBall('linf', inputs, epsilon, settings.init, request.seed, model.bounds);
    for (let step = 0; step < settings.steps; step++) {
      const previous = adversarial;
      try {
        adversarial = linfSignStep(previous, context);
      } finally {
        previous.dispose();
      }
    }
    return adversarial;
  } finally {
    tf.dispose([epsilon, ballLower, ballUpper]);
  }
}
