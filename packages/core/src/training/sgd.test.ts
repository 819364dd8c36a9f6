import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../backend/wasm/register-wasm-training-kernels.js';
import { sgdMomentumStepKernelName } from '../backend/wasm/sgd-kernel.js';
import { createSeededRandom } from '../random/seeded-random.js';
import { createSgdOptimizer, type SgdOptions } from './sgd.js';

describe(createSgdOptimizer, () => {
  it('follows PyTorch SGD: g += wd·w, v = μ·v + g (v = g first), w -= lr·v', () => {
    const weight = tf.variable(tf.tensor1d([1, -2]), true, 'sgd-test/w');
    const sgd = createSgdOptimizer([weight], { learningRate: 0.1, momentum: 0.9, weightDecay: 0.5, nesterov: false });
    const learningRate = tf.scalar(0.1);
    const gradient = tf.tensor1d([0.2, 0.4]);
    // Step 1 by hand: g = [0.2 + 0.5·1, 0.4 + 0.5·(−2)] = [0.7, −0.6]; v = g; w = [1 − 0.07, −2 + 0.06].
    sgd.step({ 'sgd-test/w': gradient }, learningRate);
    const afterOne = Array.from(weight.dataSync());
    expect(afterOne[0]).toBeCloseTo(0.93, 6);
    expect(afterOne[1]).toBeCloseTo(-1.94, 6);
    // Step 2: g = [0.2 + 0.465, 0.4 − 0.97] = [0.665, −0.57]; v = 0.9·[0.7, −0.6] + g = [1.295, −1.11].
    sgd.step({ 'sgd-test/w': gradient }, learningRate);
    const afterTwo = Array.from(weight.dataSync());
    expect(afterTwo[0]).toBeCloseTo(0.93 - 0.1295, 6);
    expect(afterTwo[1]).toBeCloseTo(-1.94 + 0.111, 6);
    sgd.dispose();
    tf.dispose([weight, learningRate, gradient]);
  });

  it('applies Nesterov as w -= lr·(g + μ·v)', () => {
    const weight = tf.variable(tf.tensor1d([1]), true, 'sgd-test/n');
    const sgd = createSgdOptimizer([weight], { learningRate: 1, momentum: 0.5, weightDecay: 0, nesterov: true });
    const learningRate = tf.scalar(1);
    const gradient = tf.tensor1d([2]);
    sgd.step({ 'sgd-test/n': gradient }, learningRate); // v = 2; w = 1 − (2 + 0.5·2) = −2
    expect(weight.dataSync()[0]).toBeCloseTo(-2, 6);
    sgd.dispose();
    tf.dispose([weight, learningRate, gradient]);
  });

  it('leaves no tensors behind once disposed', () => {
    const before = tf.memory().numTensors;
    const initial = tf.tensor1d([1, 2, 3]);
    const weight = tf.variable(initial, true, 'sgd-test/leak');
    initial.dispose();
    const sgd = createSgdOptimizer([weight], { learningRate: 0.1, momentum: 0.9, weightDecay: 1e-4, nesterov: false });
    const learningRate = tf.scalar(0.1);
    const gradient = tf.ones([3]);
    for (let step = 0; step < 3; step++) sgd.step({ 'sgd-test/leak': gradient }, learningRate);
    sgd.dispose();
    tf.dispose([weight, learningRate, gradient]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('takes the same steps, bit for bit, with the fused wasm kernel as with the composed ops on cpu', async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmTrainingKernels();
    expect(tf.getKernel(sgdMomentumStepKernelName, 'wasm')).toBeDefined(); // the fused path runs from the second step
    const random = createSeededRandom(11);
    const shapes = [[3, 3, 4, 8], [70_000], [5]];
    const initial = shapes.map((shape) => Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.float() * 2 - 1));
    const gradientsPerStep = [0, 1, 2].map(() => initial.map((values) => Float32Array.from(values, () => random.float() - 0.5)));
    const run = async (backend: string, options: SgdOptions) => {
      await tf.setBackend(backend);
      const variables = shapes.map((shape, index) => tf.tidy(() => tf.variable(tf.tensor(initial[index] as Float32Array, shape), true, `sgd-fused/${backend}/${index}`)));
      const sgd = createSgdOptimizer(variables, options);
      const learningRate = tf.scalar(0.05);
      for (const step of gradientsPerStep) {
        const gradients = Object.fromEntries(variables.map((variable, index) => [variable.name, tf.tensor(step[index] as Float32Array, variable.shape)]));
        sgd.step(gradients, learningRate);
        tf.dispose(Object.values(gradients));
      }
      const weights = variables.map((variable) => Buffer.from((variable.dataSync() as Float32Array).slice().buffer));
      const momentum = (await sgd.exportBuffers()).map((buffer) => Buffer.from((buffer as Float32Array).buffer));
      sgd.dispose();
      tf.dispose([...variables, learningRate]);
      return [...weights, ...momentum];
    };
    for (const options of [
      { learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4, nesterov: false },
      { learningRate: 0.05, momentum: 0.9, weightDecay: 0, nesterov: true },
    ]) {
      const before = tf.memory().numTensors;
      const onWasm = await run('wasm', options);
      expect(tf.memory().numTensors).toBe(before);
      const onCpu = await run('cpu', options);
      onWasm.forEach((bytes, index) => expect(bytes.equals(onCpu[index] as Buffer), `tensor ${index}`).toBe(true));
    }
    await tf.setBackend(process.env['ROBUSTFAIR_BACKEND'] ?? 'cpu');
  });
});
