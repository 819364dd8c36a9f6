import * as tf from '@tensorflow/tfjs-core';
import { createSeededRandom, createSgdOptimizer, sgdMomentumStepKernelName, type SgdOptions } from '@robustfair/core';
import { describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './register-wasm-training-kernels.js';

// core's SGD on wasm, where from the second step it runs our fused kernel (wasm/sgd.c), against
// the composed ops on the cpu backend.
describe('sgdMomentumStepWasm', () => {
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
