import { createPgdAttack } from '@robustfair/attacks';
import { createSgdOptimizer, crossEntropyPerSample } from '@robustfair/core';
import type { Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';

export type BenchStep = 'forward' | 'train' | 'pgd';

/**
 * One step of each kind, synchronised with a read-back so the time is the real time:
 * forward = eval-mode logits; train = train-mode forward, CE, gradients of every weight, SGD
 * with momentum and weight decay; pgd = one L∞ PGD step of our attack (input gradient only).
 */
export function createStep(step: BenchStep, model: Model, inputs: tf.Tensor4D, labels: tf.Tensor1D): { run(): void; dispose(): void } {
  if (step === 'forward') {
    // The block body matters: a typed array returned from tidy is walked element by element
    // (TF.js looks for tensors in it), ~1 µs per element.
    return { run: () => tf.tidy(() => { model.logits(inputs, { training: false }).dataSync(); }), dispose: () => undefined };
  }
  if (step === 'pgd') {
    const attack = createPgdAttack({ steps: 1, stepSize: 2 / 255, init: 'none' });
    const epsilon = tf.fill([inputs.shape[0]], 8 / 255) as tf.Tensor1D;
    return {
      run: () => {
        const adversarial = attack.perturb({ model, inputs, labels, epsilon, seed: 0 });
        adversarial.dataSync();
        adversarial.dispose();
      },
      dispose: () => epsilon.dispose(),
    };
  }
  const variables = model.trainableVariables();
  const optimizer = createSgdOptimizer(variables, { learningRate: 0.01, momentum: 0.9, weightDecay: 2e-4, nesterov: false });
  const learningRate = tf.scalar(0.01);
  return {
    run: () => {
      const { value, grads } = tf.variableGrads(() => tf.mean(crossEntropyPerSample(model.logits(inputs, { training: true }), labels)), [...variables]);
      optimizer.step(grads, learningRate);
      value.dataSync();
      tf.dispose([value, ...Object.values(grads)]);
    },
    dispose: () => {
      optimizer.dispose();
      learningRate.dispose();
    },
  };
}
