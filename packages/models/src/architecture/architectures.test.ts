import { createSeededRandom } from '@robustfair/core';
import { InvalidOptionsError, type Model } from '@robustfair/spec';
import { expectNoTensorLeak } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients (the union package does); tests that differentiate import them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { describe, expect, it } from 'vitest';
import { createMobileNetV2 } from '../mobilenet-v2/mobilenet-v2.js';
import { createPreActResNet18 } from '../preact-resnet/preact-resnet18.js';
import { createResNet18 } from '../resnet/resnet18.js';
import { createDmWideResNet } from '../wide-resnet/dm-wide-resnet.js';
import { createWideResNet } from '../wide-resnet/wide-resnet.js';
import { cifar10Normalization } from './input-normalization.js';

/** Seeded pixels in [0, 1] (plain JS, so the test does not depend on TF.js random ops). */
const images = (count: number, [height, width, channels]: readonly [number, number, number], seed: number) => {
  const random = createSeededRandom(seed);
  return tf.tensor4d(Array.from({ length: count * height * width * channels }, () => random.float()), [count, height, width, channels]);
};

const valuesOf = (model: Model) => Object.fromEntries(model.namedVariables().map(({ name, variable }) => [name, Array.from(variable.dataSync())]));

const base = { numClasses: 3, inputShape: [8, 8, 3] as const, seed: 5 };
type Options = { readonly normalization?: typeof cifar10Normalization };

// Reduced widths so one step runs in well under a second on the cpu backend.
const factories = [
  ['resnet18', (options: Options) => createResNet18({ ...base, ...options, width: 2 })],
  ['preact-resnet18 (final BN)', (options: Options) => createPreActResNet18({ ...base, ...options, width: 2 })],
  ['preact-resnet18 (no final BN)', (options: Options) => createPreActResNet18({ ...base, ...options, width: 2, finalBatchNorm: false })],
  ['mobilenet-v2', (options: Options) => createMobileNetV2({ ...base, ...options, width: 4 })],
  ['wide-resnet', (options: Options) => createWideResNet({ ...base, ...options, depth: 16, widenFactor: 2, width: 2 })],
  ['dm-wide-resnet (swish)', (options: Options) => createDmWideResNet({ ...base, ...options, depth: 16, widenFactor: 2, width: 2 })],
] as const;

describe.each(factories)('%s', (_, create) => {
  it('returns [batch, numClasses] logits; eval mode leaves the running statistics alone, training mode updates them', () => {
    const model = create({});
    const x = images(2, [8, 8, 3], 1);
    const initial = valuesOf(model);
    const logits = model.logits(x, { training: false });
    expect(logits.shape).toEqual([2, 3]);
    expect(Array.from(logits.dataSync()).every(Number.isFinite)).toBe(true);
    expect(valuesOf(model)).toEqual(initial);
    model.logits(x, { training: true }).dispose();
    const trained = valuesOf(model);
    for (const { name, trainable } of model.namedVariables()) {
      if (trainable) expect(trained[name], name).toEqual(initial[name]);
      else expect(trained[name], name).not.toEqual(initial[name]);
    }
    tf.dispose([x, logits]);
    model.dispose();
  });

  it('trains one step (variableGrads + plain SGD) with a gradient for every trainable variable and no tensor leak', async () => {
    const model = create({});
    const x = images(2, [8, 8, 3], 2);
    const labels = tf.oneHot(tf.tensor1d([0, 2], 'int32'), 3);
    const before = valuesOf(model);
    const named = model.namedVariables();
    // A batch-norm shift followed only by a conv and a train-mode batch norm (MobileNetV2's last
    // block) has an exactly-zero gradient: the next BN removes any per-channel constant. The
    // composed BN let float rounding hide that; the closed-form backward gives the exact 0.
    const runningMeans = new Set(named.filter(({ name }) => name.endsWith('.running_mean')).map(({ name }) => name.slice(0, -'.running_mean'.length)));
    const isBatchNormShift = (name: string) => name.endsWith('.bias') && runningMeans.has(name.slice(0, -'.bias'.length));
    const exactlyZero = new Set<string>();
    await expectNoTensorLeak(() => {
      const { grads, value } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(labels, model.logits(x, { training: true })) as tf.Scalar,
        model.trainableVariables() as tf.Variable[],
      );
      for (const { name, variable, trainable } of named) {
        if (!trainable) continue;
        const gradient = grads[variable.name];
        expect(gradient, name).toBeDefined();
        const largest = tf.tidy(() => tf.max(tf.abs(gradient!)).dataSync()[0]) as number;
        expect(Number.isFinite(largest), `${name} gradient is finite`).toBe(true);
        if (largest === 0 && isBatchNormShift(name)) exactlyZero.add(name);
        else expect(largest, `${name} gradient`).toBeGreaterThan(0);
        tf.tidy(() => variable.assign(tf.sub(variable, tf.mul(gradient!, 0.1))));
      }
      tf.dispose([value, ...Object.values(grads)]);
    }, 'training step');
    const after = valuesOf(model);
    for (const { name, trainable } of named) if (trainable && !exactlyZero.has(name)) expect(after[name], name).not.toEqual(before[name]);
    await expectNoTensorLeak(() => {
      // What an eval-mode attack does: the gradient with respect to the input.
      tf.grad((input: tf.Tensor) => tf.sum(model.logits(input as tf.Tensor4D, { training: false })))(x).dispose();
    }, 'input gradient');
    tf.dispose([x, labels]);
    model.dispose();
  });

  it('normalises inputs inside the model: same seed with normalization on x equals without it on (x − mean) / std', () => {
    const plain = create({});
    const normalising = create({ normalization: cifar10Normalization });
    const x = images(2, [8, 8, 3], 3);
    const standardised = tf.div<tf.Tensor4D>(tf.sub(x, tf.tensor1d(cifar10Normalization.mean.slice())), tf.tensor1d(cifar10Normalization.std.slice()));
    const expected = plain.logits(standardised, { training: false }).dataSync();
    const actual = normalising.logits(x, { training: false }).dataSync();
    expected.forEach((value, index) => expect(actual[index]).toBeCloseTo(value, 4));
    tf.dispose([x, standardised]);
    plain.dispose();
    normalising.dispose();
  });

  it('frees every variable on dispose and refuses to run afterwards', () => {
    const before = tf.memory().numTensors;
    const model = create({});
    expect(tf.memory().numTensors).toBe(before + model.namedVariables().length);
    model.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const x = images(1, [8, 8, 3], 4);
    expect(() => model.logits(x, { training: false })).toThrow(/after dispose/);
    expect(() => model.logits(tf.zeros([1, 8, 8, 1]) as tf.Tensor4D, { training: false })).toThrow();
    x.dispose();
  });
});

describe('option checks', () => {
  it('names every bad field', () => {
    expect(() => createResNet18({ ...base, width: 0 })).toThrow(InvalidOptionsError);
    expect(() => createResNet18({ ...base, width: 1.5 })).toThrow(/width: must be a positive integer/);
    expect(() => createWideResNet({ ...base, depth: 33 })).toThrow(/depth: must be 6n \+ 4/);
    expect(() => createDmWideResNet({ ...base, widenFactor: 0, depth: 4 })).toThrow(/widenFactor[\s\S]*depth|depth[\s\S]*widenFactor/);
    expect(() => createMobileNetV2({ ...base, numClasses: 0 })).toThrow(/numClasses/);
    expect(() => createPreActResNet18({ ...base, normalization: { mean: [0.5], std: [0, 1, 1] } })).toThrow(
      /normalization\.mean: must have one value per input channel \(3\)[\s\S]*normalization\.std: must be positive/,
    );
  });
});

describe('PyTorch state_dict names', () => {
  const namesOf = (model: Model) => {
    const names = model.namedVariables().map(({ name }) => name);
    model.dispose();
    return names;
  };

  it('resnet18: conv1/bn1 stem, layerN.M blocks with shortcut.0/.1 where the shape changes, linear', () => {
    const names = namesOf(createResNet18({ ...base, width: 2 }));
    expect(names.slice(0, 6)).toEqual(['conv1.weight', 'bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var', 'layer1.0.conv1.weight']);
    expect(names).toContain('layer2.0.shortcut.0.weight');
    expect(names).toContain('layer4.1.bn2.running_var');
    expect(names).toContain('layer3.0.shortcut.1.running_mean');
    expect(names.filter((name) => name.includes('shortcut.0.weight'))).toEqual(['layer2.0.shortcut.0.weight', 'layer3.0.shortcut.0.weight', 'layer4.0.shortcut.0.weight']);
    expect(names.slice(-2)).toEqual(['linear.weight', 'linear.bias']);
  });

  it('preact-resnet18: bn1 before conv1 in each block, shortcut.0 without BN, bn only with finalBatchNorm', () => {
    const withNorm = namesOf(createPreActResNet18({ ...base, width: 2 }));
    expect(withNorm.slice(0, 2)).toEqual(['conv1.weight', 'layer1.0.bn1.weight']);
    expect(withNorm).toContain('layer2.0.shortcut.0.weight');
    expect(withNorm).not.toContain('layer2.0.shortcut.1.weight');
    expect(withNorm.slice(-6)).toEqual(['bn.weight', 'bn.bias', 'bn.running_mean', 'bn.running_var', 'linear.weight', 'linear.bias']);
    const without = namesOf(createPreActResNet18({ ...base, width: 2, finalBatchNorm: false }));
    expect(without.filter((name) => name.startsWith('bn.'))).toEqual([]);
  });

  it('mobilenet-v2: 17 blocks layers.0…16 with a depthwise conv2 [3, 3, C, 1], shortcut only at stride 1 with new channels', () => {
    const model = createMobileNetV2({ ...base, width: 32, inputShape: [4, 4, 3] });
    const shapes = Object.fromEntries(model.namedVariables().map(({ name, variable }) => [name, variable.shape]));
    const names = namesOf(model);
    expect(names.filter((name) => /^layers\.\d+\.conv1\.weight$/.test(name))).toHaveLength(17);
    expect(shapes['layers.1.conv2.weight']).toEqual([3, 3, 96, 1]);
    expect(shapes['layers.0.conv1.weight']).toEqual([1, 1, 32, 32]);
    // Shortcut convs where stride is 1 and channels change: 32→16, 16→24, 64→96, 160→320.
    expect(names.filter((name) => name.endsWith('shortcut.0.weight'))).toEqual([
      'layers.0.shortcut.0.weight',
      'layers.1.shortcut.0.weight',
      'layers.10.shortcut.0.weight',
      'layers.16.shortcut.0.weight',
    ]);
    expect(shapes['conv2.weight']).toEqual([1, 1, 320, 1280]);
    expect(shapes['linear.weight']).toEqual([1280, 3]);
  });

  it('wide-resnet: blockN.layer.M with convShortcut, final bn1 and fc, no sub_block1', () => {
    const model = createWideResNet({ ...base, depth: 16, widenFactor: 2, width: 2 });
    const values = valuesOf(model);
    const names = namesOf(model);
    expect(names[0]).toBe('conv1.weight');
    expect(names).toContain('block1.layer.0.convShortcut.weight');
    expect(names).not.toContain('block1.layer.1.convShortcut.weight');
    expect(names).toContain('block3.layer.1.bn2.running_var');
    expect(names.some((name) => name.startsWith('sub_block1'))).toBe(false);
    expect(names.slice(-6)).toEqual(['bn1.weight', 'bn1.bias', 'bn1.running_mean', 'bn1.running_var', 'fc.weight', 'fc.bias']);
    expect(new Set(values['fc.bias'])).toEqual(new Set([0])); // the reference zeroes the linear bias
  });

  it('wide-resnet: convs drawn from N(0, √(2 / (k²·out))) as the reference class sets', () => {
    const model = createWideResNet({ ...base, depth: 10, widenFactor: 8, width: 16 });
    const kernel = valuesOf(model)['block3.layer.0.conv2.weight']!; // 3×3, 512 → 512: 2.36 M draws
    const mean = kernel.reduce((total, value) => total + value, 0) / kernel.length;
    const deviation = Math.sqrt(kernel.reduce((total, value) => total + (value - mean) ** 2, 0) / kernel.length);
    expect(Math.abs(mean)).toBeLessThan(1e-4);
    expect(deviation / Math.sqrt(2 / (9 * 512))).toBeCloseTo(1, 2);
    model.dispose();
  });

  it('dm-wide-resnet: init_conv, layer.G.block.M with batchnorm_0/conv_0/…/shortcut, batchnorm, logits', () => {
    const names = namesOf(createDmWideResNet({ ...base, depth: 16, widenFactor: 2, width: 2 }));
    expect(names.slice(0, 2)).toEqual(['init_conv.weight', 'layer.0.block.0.batchnorm_0.weight']);
    expect(names).toContain('layer.0.block.0.shortcut.weight');
    expect(names).toContain('layer.2.block.1.conv_1.weight');
    expect(names).not.toContain('layer.1.block.1.shortcut.weight');
    expect(names.slice(-6)).toEqual(['batchnorm.weight', 'batchnorm.bias', 'batchnorm.running_mean', 'batchnorm.running_var', 'logits.weight', 'logits.bias']);
  });
});
