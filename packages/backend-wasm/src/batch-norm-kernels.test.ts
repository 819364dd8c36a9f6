import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { batchNormTraining, batchNormTrainingKernelName, createSeededRandom } from '@robustfair/core';
import { registerWasmTrainingKernels } from './register-wasm-training-kernels.js';

// core's batchNormTraining on wasm, where it runs our fused kernels (wasm/batch-norm.c), against
// the composed elementwise formula and its tape gradient on the cpu backend.

const shapes: [number, number, number, number][] = [
  [2, 3, 3, 2],
  [4, 5, 7, 3],
  [3, 8, 8, 16],
  [8, 4, 4, 32],
  [2, 16, 16, 8],
];

function values(size: number, seed: number, shift = 0): Float32Array {
  const random = createSeededRandom(seed);
  return Float32Array.from({ length: size }, () => random.normal() * 1.5 + shift);
}

/** The reference: the composed elementwise formula, differentiated by the tape. */
function reference(x: tf.Tensor4D, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): tf.Tensor4D {
  const mean = tf.mean(x, [0, 1, 2]);
  const variance = tf.mean(tf.square(tf.sub(x, mean)), [0, 1, 2]);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon))), gamma), beta);
}

async function run(shape: [number, number, number, number], backend: string, fused: boolean) {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const channels = shape[3];
    const x = tf.tensor4d(values(shape.reduce((a, b) => a * b), 1, 0.7), shape);
    const gamma = tf.tensor1d(values(channels, 2, 1));
    const beta = tf.tensor1d(values(channels, 3));
    const dy = tf.tensor4d(values(x.size, 4), shape);
    const forward = (a: tf.Tensor4D, g: tf.Tensor1D, b: tf.Tensor1D) =>
      fused ? batchNormTraining(a, g, b, 1e-5) : { output: reference(a, g, b, 1e-5), mean: tf.mean(a, [0, 1, 2]), variance: tf.moments(a, [0, 1, 2]).variance };
    const result = forward(x, gamma, beta);
    const grads = tf.grads((...args: tf.Tensor[]) => {
      const r = forward(args[0] as tf.Tensor4D, args[1] as tf.Tensor1D, args[2] as tf.Tensor1D);
      tf.dispose([r.mean, r.variance]);
      return tf.sum(tf.mul(r.output, dy));
    })([x, gamma, beta]);
    const out = {
      output: result.output.dataSync(),
      mean: result.mean.dataSync(),
      variance: result.variance.dataSync(),
      grads: grads.map((g) => g.dataSync()),
    };
    tf.dispose([result.mean, result.variance]);
    return out;
  });
}

const relative = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
    scale = Math.max(scale, Math.abs(b[i] as number));
  }
  return worst / scale;
};

describe(batchNormTraining, () => {
  afterAll(async () => {
    await tf.setBackend(process.env['ROBUSTFAIR_BACKEND'] ?? 'cpu');
  });

  for (const backend of ['wasm']) {
    for (const shape of shapes) {
      it(`matches the composed formula and its tape gradient on ${backend}, shape [${shape.join(', ')}]`, async () => {
        await import('@tensorflow/tfjs-backend-wasm');
        registerWasmTrainingKernels();
        expect(tf.getKernel(batchNormTrainingKernelName, 'wasm')).toBeDefined(); // the fused path runs
        const expected = await run(shape, 'cpu', false);
        const before = tf.memory().numTensors;
        const actual = await run(shape, backend, true);
        expect(tf.memory().numTensors).toBe(before);
        expect(relative(actual.output, expected.output)).toBeLessThanOrEqual(1e-4);
        expect(relative(actual.mean, expected.mean)).toBeLessThanOrEqual(1e-5);
        expect(relative(actual.variance, expected.variance)).toBeLessThanOrEqual(1e-4);
        actual.grads.forEach((gradient, index) => expect(relative(gradient, expected.grads[index]!)).toBeLessThanOrEqual(1e-4));
      });
    }
  }
});
