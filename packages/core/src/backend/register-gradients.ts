import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-core registers no gradient functions: the `@tensorflow/tfjs` union package imports
 * `dist/register_all_gradients` for its users. That module is extensionless ESM, which plain
 * Node cannot load, so our build bundles it into core's dist (tsup `noExternal`); its copies of
 * the ops share the one engine and gradient registry through TF.js's globals. Idempotent.
 */
export async function registerGradients(): Promise<void> {
  if (tf.getGradient('Conv2D') !== undefined) return;
  await import('@tensorflow/tfjs-core/dist/register_all_gradients');
}
