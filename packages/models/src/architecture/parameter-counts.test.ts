import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createMobileNetV2, mobileNetV2Architecture } from '../mobilenet-v2/mobilenet-v2.js';
import { countParameters } from '../parameter-count.js';
import { createPreActResNet18, preActResNet18Architecture } from '../preact-resnet/preact-resnet18.js';
import { createResNet18, resNet18Architecture } from '../resnet/resnet18.js';
import { createDmWideResNet, dmWideResNetArchitecture } from '../wide-resnet/dm-wide-resnet.js';
import { createWideResNet, wideResNetArchitecture } from '../wide-resnet/wide-resnet.js';
import type { Architecture, ArchitectureOptions } from './architecture.js';
import { countTrainableParameters, parameterShapes } from './create-architecture-model.js';

const cifar10 = { numClasses: 10, inputShape: [32, 32, 3] as const, seed: 0 };

describe('parameter counts at full width (PyTorch references, ISSUE 4 acceptance 1)', () => {
  it.each([
    ['resnet18 (CIFAR)', resNet18Architecture, {}, 11_173_962],
    ['preact-resnet18 without the final BN (FRL)', preActResNet18Architecture, { finalBatchNorm: false }, 11_171_146],
    ['preact-resnet18 with the final BN+ReLU (CFA)', preActResNet18Architecture, { finalBatchNorm: true }, 11_172_170],
    ['wide-resnet 34-10 (TRADES, without the unused sub_block1)', wideResNetArchitecture, { depth: 34, widenFactor: 10 }, 46_160_474],
    ['mobilenet-v2 (CIFAR)', mobileNetV2Architecture, {}, 2_296_922],
  ] as const)('%s', (_, architecture, options, expected) => {
    const shapes = parameterShapes(architecture as Architecture<ArchitectureOptions>, { ...cifar10, ...options });
    expect(countTrainableParameters(shapes)).toBe(expected);
  });

  it('wrn-70-16 (DeepMind, CIFAR-100), counted by hand from the architecture', () => {
    // Channels 16 → 256 → 512 → 1024, (70 − 4) / 6 = 11 blocks per group, 3×3 convs without
    // bias, BN = 2 trainable vectors, 1×1 shortcut only in each group's first block.
    const blocksPerGroup = 11;
    const group = (input: number, output: number) => {
      const first = 2 * input + 9 * input * output + 2 * output + 9 * output * output + input * output;
      const rest = 2 * output + 9 * output * output + 2 * output + 9 * output * output;
      return first + (blocksPerGroup - 1) * rest;
    };
    const expected = 9 * 3 * 16 + group(16, 256) + group(256, 512) + group(512, 1024) + 2 * 1024 + (1024 * 100 + 100);
    const shapes = parameterShapes(dmWideResNetArchitecture, { numClasses: 100, inputShape: [32, 32, 3], seed: 0 });
    expect(countTrainableParameters(shapes)).toBe(expected);
    // By hand: 432 + 12,438,048 + 50,877,952 + 203,467,776 + 2,048 + 102,500 (≈ RobustBench's "267 M").
    expect(expected).toBe(266_888_756);
  });

  it('a real full-width ResNet-18 allocates exactly the counted parameters', () => {
    const model = createResNet18(cifar10);
    expect(countParameters(model)).toBe(11_173_962);
    model.dispose();
  });
});

describe(parameterShapes, () => {
  const small = { numClasses: 3, inputShape: [8, 8, 3] as const, seed: 1 };
  it.each([
    ['resnet18', resNet18Architecture, () => createResNet18({ ...small, width: 2 }), { width: 2 }],
    ['preact-resnet18', preActResNet18Architecture, () => createPreActResNet18({ ...small, width: 2 }), { width: 2 }],
    ['mobilenet-v2', mobileNetV2Architecture, () => createMobileNetV2({ ...small, width: 4 }), { width: 4 }],
    ['wide-resnet', wideResNetArchitecture, () => createWideResNet({ ...small, depth: 16, widenFactor: 2, width: 2 }), { depth: 16, widenFactor: 2, width: 2 }],
    ['dm-wide-resnet', dmWideResNetArchitecture, () => createDmWideResNet({ ...small, depth: 16, widenFactor: 2, width: 2 }), { depth: 16, widenFactor: 2, width: 2 }],
  ] as const)('lists the names, shapes and trainability the built %s has, in the same order', (_, architecture, create, options) => {
    const before = tf.memory().numTensors;
    const shapes = parameterShapes(architecture as Architecture<ArchitectureOptions>, { ...small, ...options });
    expect(tf.memory().numTensors).toBe(before); // nothing allocated
    const model = create();
    expect(model.namedVariables().map(({ name, variable, trainable }) => ({ name, shape: variable.shape, trainable }))).toEqual(shapes);
    model.dispose();
  });
});
