import { TensorLeakError } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Runs `fn` and throws TensorLeakError when more tensors are alive afterwards than before
 * (HOUSE-STYLE B7.8). Tensors `fn` returns are the caller's, so dispose them inside `fn`.
 */
export async function expectNoTensorLeak(fn: () => unknown, label = 'call'): Promise<void> {
  const before = tf.memory().numTensors;
  await fn();
  const leaked = tf.memory().numTensors - before;
  if (leaked > 0) throw new TensorLeakError(label, leaked);
}

/** Number of tensors `fn` leaves alive (for tests that want to assert on it directly). */
export async function countLeakedTensors(fn: () => unknown): Promise<number> {
  const before = tf.memory().numTensors;
  await fn();
  return tf.memory().numTensors - before;
}
