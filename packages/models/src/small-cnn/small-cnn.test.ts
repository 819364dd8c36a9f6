import { createSeededRandom } from '@robustfair/core';
import { InvalidOptionsError } from '@robustfair/spec';
import { expectNoTensorLeak } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients (the union package does); tests that differentiate import them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it } from 'vitest';
import { countParameters } from '../parameter-count.js';
import { createSmallCnn } from './small-cnn.js';

const tinyOptions = { numClasses: 3, inputShape: [4, 4, 2] as const, width: 2, seed: 7 };

/** Seeded pixels in [0, 1] (plain JS, so the test does not depend on TF.js random ops). */
const images = (count: number, [height, width, channels]: readonly [number, number, number], seed: number) => {
  const random = createSeededRandom(seed);
  return tf.tensor4d(Array.from({ length: count * height * width * channels }, () => random.float()), [count, height, width, channels]);
};

const valuesOf = (model: ReturnType<typeof createSmallCnn>) =>
  Object.fromEntries(model.namedVariables().map(({ name, variable }) => [name, Array.from(variable.dataSync())]));

describe(createSmallCnn, () => {
  describe('architecture', () => {
    it('counts trainable parameters as computed by hand', () => {
      // width w = 2, 2 input channels, 3 classes (3x3 kernels, no conv bias):
      //   conv1 3·3·2·2 = 36, bn1 2·2 = 4, conv2 3·3·2·4 = 72, bn2 2·4 = 8,
      //   conv3 3·3·4·8 = 288, bn3 2·8 = 16, fc 8·3 + 3 = 27  → 451
      const tiny = createSmallCnn(tinyOptions);
      expect(countParameters(tiny)).toBe(36 + 4 + 72 + 8 + 288 + 16 + 27);
      tiny.dispose();
      // The benchmark model (w = 32, RGB, 10 classes, about 95 k parameters):
      //   864 + 64 + 18432 + 128 + 73728 + 256 + (128·10 + 10) = 94762
      const full = createSmallCnn({ numClasses: 10, inputShape: [32, 32, 3], seed: 0 });
      expect(countParameters(full)).toBe(864 + 64 + 18432 + 128 + 73728 + 256 + 1290);
      full.dispose();
    });

    it('names its variables like a PyTorch state_dict, in a stable order, with the trainable ones first-class', () => {
      const model = createSmallCnn(tinyOptions);
      const bn = (index: number) => [`bn${index}.weight`, `bn${index}.bias`, `bn${index}.running_mean`, `bn${index}.running_var`];
      const named = model.namedVariables();
      expect(named.map(({ name }) => name)).toEqual(['conv1.weight', ...bn(1), 'conv2.weight', ...bn(2), 'conv3.weight', ...bn(3), 'fc.weight', 'fc.bias']);
      expect(named.filter(({ trainable }) => !trainable).map(({ name }) => name)).toEqual(
        ['bn1', 'bn2', 'bn3'].flatMap((prefix) => [`${prefix}.running_mean`, `${prefix}.running_var`]),
      );
      expect(model.trainableVariables()).toEqual(named.filter(({ trainable }) => trainable).map(({ variable }) => variable));
      expect(model.trainableVariables()).toEqual(model.trainableVariables());
      const shapes = Object.fromEntries(named.map(({ name, variable }) => [name, variable.shape]));
      expect(shapes['conv1.weight']).toEqual([3, 3, 2, 2]);
      expect(shapes['conv2.weight']).toEqual([3, 3, 2, 4]);
      expect(shapes['conv3.weight']).toEqual([3, 3, 4, 8]);
      expect(shapes['fc.weight']).toEqual([8, 3]);
      expect(model.bounds).toEqual([0, 1]);
      model.dispose();
    });

    it('returns [batch, numClasses] logits for the declared and for other image sizes', () => {
      const model = createSmallCnn(tinyOptions);
      for (const size of [4, 5, 8]) {
        const x = images(2, [size, size, 2], 1);
        const logits = model.logits(x, { training: false });
        expect(logits.shape).toEqual([2, 3]);
        tf.dispose([x, logits]);
      }
      const wrongChannels = images(1, [4, 4, 3], 1);
      expect(() => model.logits(wrongChannels, { training: false })).toThrow(/2 channel/);
      wrongChannels.dispose();
      model.dispose();
    });

    it('rejects bad options naming the field', () => {
      expect(() => createSmallCnn({ ...tinyOptions, width: 0 })).toThrow(InvalidOptionsError);
      expect(() => createSmallCnn({ ...tinyOptions, width: 1.5 })).toThrow(/width: must be a positive integer/);
      expect(() => createSmallCnn({ ...tinyOptions, numClasses: 0 })).toThrow(/numClasses/);
      expect(() => createSmallCnn({ ...tinyOptions, inputShape: [4, 4, 0] })).toThrow(/inputShape/);
    });
  });

  describe('initialisation', () => {
    it('draws conv and linear weights in ±1/√fanIn (PyTorch default) and starts batch norm at γ=1, β=0, μ=0, σ²=1', () => {
      const model = createSmallCnn({ numClasses: 10, inputShape: [8, 8, 3], width: 4, seed: 3 });
      const values = valuesOf(model);
      const fanIn: Record<string, number> = {
        'conv1.weight': 3 * 9,
        'conv2.weight': 4 * 9,
        'conv3.weight': 8 * 9,
        'fc.weight': 16,
        'fc.bias': 16,
      };
      for (const [name, fan] of Object.entries(fanIn)) {
        const bound = 1 / Math.sqrt(fan);
        const magnitudes = values[name]!.map(Math.abs);
        expect(Math.max(...magnitudes), name).toBeLessThanOrEqual(bound);
        // Uniform, not squeezed: with ≥ 10 draws the largest passes half the bound almost surely (1 − 0.5^10).
        expect(Math.max(...magnitudes), name).toBeGreaterThan(0.5 * bound);
      }
      for (const layer of ['bn1', 'bn2', 'bn3']) {
        expect(new Set(values[`${layer}.weight`])).toEqual(new Set([1]));
        expect(new Set(values[`${layer}.bias`])).toEqual(new Set([0]));
        expect(new Set(values[`${layer}.running_mean`])).toEqual(new Set([0]));
        expect(new Set(values[`${layer}.running_var`])).toEqual(new Set([1]));
      }
      model.dispose();
    });

    it('gives the same weights for the same seed and different ones for another seed', () => {
      const first = createSmallCnn(tinyOptions);
      const second = createSmallCnn(tinyOptions);
      const other = createSmallCnn({ ...tinyOptions, seed: 8 });
      expect(valuesOf(second)).toEqual(valuesOf(first));
      expect(valuesOf(other)['conv1.weight']).not.toEqual(valuesOf(first)['conv1.weight']);
      for (const model of [first, second, other]) model.dispose();
    });
  });

  describe('batch-norm modes', () => {
    it('updates the running statistics in training mode only', () => {
      const model = createSmallCnn(tinyOptions);
      const x = images(3, [4, 4, 2], 2);
      const initial = valuesOf(model);
      model.logits(x, { training: false }).dispose();
      expect(valuesOf(model)).toEqual(initial);
      model.logits(x, { training: true }).dispose();
      const trained = valuesOf(model);
      for (const name of ['bn1.running_mean', 'bn1.running_var', 'bn3.running_mean', 'bn3.running_var']) {
        expect(trained[name], name).not.toEqual(initial[name]);
      }
      // Trainable weights are not touched by a forward pass.
      expect(trained['conv1.weight']).toEqual(initial['conv1.weight']);
      x.dispose();
      model.dispose();
    });
  });

  describe('gradients', () => {
    it('match central finite differences for a few weights (training mode, gradients through the batch statistics)', () => {
      // 8x8 so that every conv3 tap sees real pixels (on 4x4 the stride-2 windows of conv3 put
      // its first kernel row on padding, whose gradient is exactly 0).
      const model = createSmallCnn({ ...tinyOptions, inputShape: [8, 8, 2], seed: 11 });
      const x = images(3, [8, 8, 2], 5);
      const projection = tf.reshape(images(1, [1, 3, 3], 6), [3, 3]);
      // A scalar loss that depends on every logit: Σ logits ⊙ R with a fixed random R.
      const loss = () => tf.tidy(() => tf.sum(tf.mul(model.logits(x, { training: true }), projection)) as tf.Scalar);
      const byName = new Map(model.namedVariables().map(({ name, variable }) => [name, variable]));
      const { grads, value } = tf.variableGrads(loss, model.trainableVariables() as tf.Variable[]);
      value.dispose();
      const checks: readonly [string, number][] = [
        ['conv1.weight', 5],
        ['conv3.weight', 40],
        ['bn2.weight', 1],
        ['bn3.bias', 3],
        ['fc.weight', 4],
        ['fc.bias', 2],
      ];
      // Small enough not to cross a ReLU kink, large enough for float32 round-off (≈1e-7 / step).
      const step = 2e-3;
      for (const [name, index] of checks) {
        const variable = byName.get(name)!;
        const analytic = grads[variable.name]!.dataSync()[index]!;
        const original = variable.dataSync().slice();
        const lossWith = (delta: number) => {
          const changed = original.slice();
          changed[index] = original[index]! + delta;
          variable.assign(tf.tensor(changed, variable.shape));
          const result = loss();
          const number = result.dataSync()[0]!;
          result.dispose();
          return number;
        };
        const numeric = (lossWith(step) - lossWith(-step)) / (2 * step);
        variable.assign(tf.tensor(original, variable.shape));
        expect(Math.abs(numeric - analytic), `${name}[${index}]: numeric ${numeric}, analytic ${analytic}`).toBeLessThan(
          1e-3 + 1e-2 * Math.abs(analytic),
        );
        expect(Math.abs(analytic), `${name}[${index}] should not be trivially zero`).toBeGreaterThan(1e-4);
      }
      tf.dispose(Object.values(grads));
      tf.dispose([x, projection]);
      model.dispose();
    });
  });

  describe('memory', () => {
    it('leaks no tensor in a forward pass in either mode, nor in a gradient step', async () => {
      const model = createSmallCnn(tinyOptions);
      const x = images(2, [4, 4, 2], 3);
      await expectNoTensorLeak(() => model.logits(x, { training: false }).dispose(), 'eval forward');
      await expectNoTensorLeak(() => model.logits(x, { training: true }).dispose(), 'train forward');
      await expectNoTensorLeak(() => {
        const { grads, value } = tf.variableGrads(() => tf.sum(model.logits(x, { training: true })) as tf.Scalar, model.trainableVariables() as tf.Variable[]);
        tf.dispose([value, ...Object.values(grads)]);
      }, 'gradient step');
      await expectNoTensorLeak(() => {
        // What an eval-mode attack does: the gradient with respect to the input.
        const gradient = tf.grad((input: tf.Tensor) => tf.sum(model.logits(input as tf.Tensor4D, { training: false })))(x);
        gradient.dispose();
      }, 'input gradient');
      x.dispose();
      model.dispose();
    });

    it('frees every variable on dispose, and refuses to run afterwards', () => {
      const before = tf.memory().numTensors;
      const model = createSmallCnn(tinyOptions);
      const x = images(2, [4, 4, 2], 3);
      model.logits(x, { training: true }).dispose();
      const variables = model.namedVariables().map(({ variable }) => variable);
      expect(tf.memory().numTensors).toBe(before + variables.length + 1);
      model.dispose();
      model.dispose(); // idempotent
      x.dispose();
      expect(tf.memory().numTensors).toBe(before);
      for (const variable of variables) expect(variable.isDisposed).toBe(true);
      expect(() => model.logits(x, { training: false })).toThrow(/after dispose/);
    });
  });
});
