import { createPgdAttack } from '@robustfair/attacks';
import { fit, selectBackend } from '@robustfair/core';
import { createSyntheticDataset } from '@robustfair/datasets';
import { createSatObjective } from '@robustfair/distillers';
import { createIdentityStrategy } from '@robustfair/fairness-strategies';
import { builtinModels } from '@robustfair/models';
import type { Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinBackendProviders } from './backend-providers.js';

// Issue 3, acceptance 2: the small CNN, ResNet-18 and PreActResNet-18 train and run PGD on wasm
// with no tensor leak and no wasm-memory leak (backend data ids), at reduced width.

const models: [string, Record<string, unknown>][] = [
  ['small-cnn', { width: 4 }],
  ['resnet18', { width: 4 }],
  ['preact-resnet18', { width: 4 }],
];

function create(id: string, options: Record<string, unknown>): Model {
  const plugin = builtinModels.find((candidate) => candidate.id === id)!;
  return plugin.create(plugin.optionsSchema.parse(options), { seed: 1, numClasses: 3, inputShape: [16, 16, 3] });
}

const wasmDataIds = () => (tf.findBackend('wasm') as tf.KernelBackend & { numDataIds(): number }).numDataIds();

describe('training on wasm', () => {
  beforeAll(async () => {
    await selectBackend('wasm', builtinBackendProviders);
  });
  afterAll(async () => {
    await selectBackend((process.env['ROBUSTFAIR_BACKEND'] as 'cpu' | 'wasm' | undefined) ?? 'wasm', builtinBackendProviders);
  });

  for (const [id, options] of models) {
    it(`${id}: fit() epochs and a PGD attack leave no tensor and no wasm buffer behind`, async () => {
      const dataset = createSyntheticDataset({ numClasses: 3, imageSize: 16, trainPerClass: 6, validationPerClass: 0, testPerClass: 4 });
      const model = create(id, options);
      const attack = createPgdAttack({ steps: 2, stepSize: 2 / 255 });
      const before = { tensors: tf.memory().numTensors, buffers: wasmDataIds() };
      const result = await fit({
        model,
        dataset,
        attack,
        objective: createSatObjective(),
        fairness: createIdentityStrategy(),
        epochs: 2,
        batchSize: 6,
        epsilon: 8 / 255,
        optimizer: { learningRate: 0.01, momentum: 0.9, weightDecay: 5e-4, nesterov: false },
        schedule: { type: 'constant' },
        seed: 0,
      });
      for await (const batch of dataset.batches('test', { batchSize: 12, shuffle: false, seed: 0 })) {
        const epsilon = tf.fill([batch.labels.shape[0]], 8 / 255) as tf.Tensor1D;
        const adversarial = attack.perturb({ model, inputs: batch.inputs, labels: batch.labels, epsilon, seed: 3 });
        expect(adversarial.shape).toEqual(batch.inputs.shape);
        tf.dispose([adversarial, epsilon, batch.inputs, batch.labels]);
      }
      expect(Number.isFinite(result.epochs[1]!.meanLoss)).toBe(true);
      expect(tf.memory().numTensors).toBe(before.tensors);
      expect(wasmDataIds()).toBe(before.buffers);
      model.dispose();
    });
  }

  it('a PGD step computes no weight gradient (no Conv2DBackpropFilter kernel runs)', async () => {
    const model = create('small-cnn', { width: 4 });
    const inputs = tf.randomUniform([4, 16, 16, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const labels = tf.tensor1d([0, 1, 2, 0], 'int32');
    const epsilon = tf.fill([4], 8 / 255) as tf.Tensor1D;
    const attack = createPgdAttack({ steps: 1, stepSize: 2 / 255, init: 'none' });
    const profile = await tf.profile(() => attack.perturb({ model, inputs, labels, epsilon, seed: 0 }).dispose());
    const kernels = new Set(profile.kernels.map((kernel) => kernel.name));
    expect(kernels.has('Conv2DBackpropInput')).toBe(true);
    expect(kernels.has('Conv2DBackpropFilter')).toBe(false);
    tf.dispose([inputs, labels, epsilon]);
    model.dispose();
  });
});
