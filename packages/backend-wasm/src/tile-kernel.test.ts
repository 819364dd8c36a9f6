import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './register-wasm-training-kernels.js';

// Our Tile on wasm against the cpu backend: the two block tilings it does itself, the ones it
// hands to TF.js's kernel, and tf.where's broadcast of a per-sample mask that made it worth it.

async function both(compute: () => tf.Tensor): Promise<[number[], number[]]> {
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    return tf.tidy(() => Array.from(compute().dataSync() as ArrayLike<number>));
  };
  return [await run('wasm'), await run('cpu')];
}

const ramp = (shape: number[], dtype: 'float32' | 'int32' = 'float32') => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, index) => index - 3.5 * (dtype === 'float32' ? 1 : 0)), shape, dtype);

describe('wasm Tile', () => {
  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmTrainingKernels();
  });
  afterAll(async () => {
    await tf.setBackend(process.env['ROBUSTFAIR_BACKEND'] ?? 'cpu');
  });

  const cases: [string, () => tf.Tensor][] = [
    ['trailing: [3, 1, 1, 1] × [1, 4, 5, 2]', () => tf.tile(ramp([3, 1, 1, 1]), [1, 4, 5, 2])],
    ['trailing, int32: [2, 3, 1] × [1, 1, 7]', () => tf.tile(ramp([2, 3, 1], 'int32'), [1, 1, 7])],
    ['trailing, bool mask', () => tf.tile(tf.tensor([true, false, true], [3, 1, 1, 1], 'bool'), [1, 3, 3, 2])],
    ['leading: [1, 1, 4, 2] × [3, 2, 1, 1]', () => tf.tile(ramp([1, 1, 4, 2]), [3, 2, 1, 1])],
    ['nothing repeats', () => tf.tile(ramp([2, 3]), [1, 1])],
    ['mixed (stock): [2, 3] × [2, 2]', () => tf.tile(ramp([2, 3]), [2, 2])],
    ['unit axis in the middle (stock): [2, 1, 3] × [1, 4, 1]', () => tf.tile(ramp([2, 1, 3]), [1, 4, 1])],
    ['tf.where with a [batch, 1, 1, 1] mask', () => tf.where(tf.tensor([false, true], [2, 1, 1, 1], 'bool'), ramp([2, 3, 3, 2]), tf.neg(ramp([2, 3, 3, 2])))],
  ];
  for (const [name, compute] of cases) {
    it(name, async () => {
      const [wasm, cpu] = await both(compute);
      expect(wasm).toEqual(cpu);
    });
  }

  it('leaves no tensor or buffer behind', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as tf.KernelBackend & { numDataIds(): number };
    const before = [tf.memory().numTensors, backend.numDataIds()];
    tf.tidy(() => [tf.tile(ramp([3, 1]), [1, 4]), tf.tile(ramp([1, 3]), [4, 1]), tf.tile(ramp([2, 3]), [2, 2])].forEach((t) => t.dataSync()));
    expect([tf.memory().numTensors, backend.numDataIds()]).toEqual(before);
  });
});
