import * as tf from '@tensorflow/tfjs-core';

/** Disposes every tensor given, skipping undefined ones (optional teacher outputs and the like). */
export function disposeAll(...tensors: readonly (tf.Tensor | undefined)[]): void {
  for (const tensor of tensors) tensor?.dispose();
}
