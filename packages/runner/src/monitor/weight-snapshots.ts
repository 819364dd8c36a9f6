import type { Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The narrow weight service of HOUSE-STYLE decision 7: copy a model's whole state (trainable
 * weights and batch-norm statistics, in `namedVariables()` order), average copies, write one back.
 * Copies live in plain Float32Arrays, so they cost no device memory between epochs.
 */
export async function captureWeights(model: Model): Promise<Float32Array[]> {
  return Promise.all(model.namedVariables().map(async ({ variable }) => ((await variable.data()) as Float32Array).slice()));
}

export function restoreWeights(model: Model, weights: readonly Float32Array[]): void {
  model.namedVariables().forEach(({ name, variable }, index) => {
    const values = weights[index];
    if (!values || values.length !== variable.size) throw new Error(`weight snapshot does not fit '${name}'`);
    tf.tidy(() => variable.assign(tf.tensor(values, variable.shape, 'float32')));
  });
}

/** average ← decay · average + (1 − decay) · current, in place. */
export function blendInto(average: Float32Array[], current: readonly Float32Array[], decay: number): void {
  average.forEach((values, index) => {
    const update = current[index] as Float32Array;
    for (let i = 0; i < values.length; i++) values[i] = decay * (values[i] as number) + (1 - decay) * (update[i] as number);
  });
}
