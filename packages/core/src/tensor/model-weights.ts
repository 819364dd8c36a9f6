import { IncompatiblePluginsError, type Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';

/**
 * A copy of a model's whole state (trainable weights and batch-norm statistics), one
 * Float32Array per `namedVariables()` entry, in order. Used by checkpoints, checkpoint
 * selection and weight averaging; the copies cost no device memory.
 */
export async function captureModelWeights(model: Model): Promise<Float32Array[]> {
  return Promise.all(model.namedVariables().map(async ({ variable }) => ((await variable.data()) as Float32Array).slice()));
}

/** Writes a copy made by `captureModelWeights` back; throws when it does not fit the model. */
export function restoreModelWeights(model: Model, weights: readonly Float32Array[]): void {
  const named = model.namedVariables();
  if (weights.length !== named.length) {
    throw new IncompatiblePluginsError(`saved state has ${weights.length} weights, the model has ${named.length} variables`);
  }
  named.forEach(({ name, variable }, index) => {
    const values = weights[index] as Float32Array;
    if (values.length !== variable.size) throw new IncompatiblePluginsError(`saved weight '${name}' has ${values.length} values, the model needs ${variable.size}`);
    tf.tidy(() => variable.assign(tf.tensor(values, variable.shape, 'float32')));
  });
}
