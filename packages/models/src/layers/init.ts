import { createSeededRandom } from '@robustfair/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * PyTorch's default initialisation of conv and linear weights and biases:
 * U(−1/√fanIn, 1/√fanIn) (kaiming-uniform with a = √5 gives exactly this bound for weights, and
 * biases use the same bound). Keras' glorot default would train differently from the papers.
 *
 * Values are drawn in JS from `createSeededRandom(seed)`, not with a TF.js random op, so the same
 * seed gives the same weights on every backend.
 */
export function pytorchUniformValues(size: number, fanIn: number, seed: number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const random = createSeededRandom(seed);
  const values = new Float32Array(size);
  for (let index = 0; index < size; index++) values[index] = (2 * random.float() - 1) * bound;
  return values;
}

/**
 * N(0, √(2 / fanOut)) with fanOut = k² · outputChannels: the conv initialisation the WideResNet
 * classes of TRADES and RSLAD set explicitly (`normal_(0, sqrt(2 / n))`, He-normal on fan-out).
 * Drawn in JS from `createSeededRandom(seed)`, like `pytorchUniformValues`.
 */
export function normalFanOutValues(size: number, fanOut: number, seed: number): Float32Array {
  const deviation = Math.sqrt(2 / fanOut);
  const random = createSeededRandom(seed);
  const values = new Float32Array(size);
  for (let index = 0; index < size; index++) values[index] = random.normal() * deviation;
  return values;
}

/**
 * Creates a variable holding `values` (no name: TF.js variable names are global and must be
 * unique, so two models would clash; models keep their own stable names instead).
 */
export function createVariable<R extends tf.Rank>(values: Float32Array, shape: tf.ShapeMap[R], trainable: boolean): tf.Variable<R> {
  const initial = tf.tensor(values, shape, 'float32') as tf.Tensor<R>;
  const variable = tf.variable(initial, trainable);
  // The variable holds its own reference to the data, so the initial tensor can go.
  initial.dispose();
  return variable;
}
