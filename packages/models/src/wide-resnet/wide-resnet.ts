import type { Model, OptionsIssue } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { type Architecture, type ArchitectureOptions, checkPositiveIntegers } from '../architecture/architecture.js';
import type { ModalFeatureMap } from '../architecture/layer-scope.js';
import { createArchitectureModel } from '../architecture/create-architecture-model.js';
import { globalAveragePool } from '../blocks/global-average-pool.js';
import { preActivationBlock, type PreActivationBlockNames } from '../blocks/pre-activation-block.js';
import { stage } from '../blocks/stage.js';
import { type Activation, activationByName } from '../layers/activation.js';
import type { ConvolutionInitialisation } from '../layers/conv2d.js';
import type { LayerScope } from '../architecture/layer-scope.js';

/** Options of `createWideResNet`. */
export interface WideResNetOptions extends ArchitectureOptions {
  /** Conv layers counted as in the WRN paper: (depth − 4) / 6 blocks per group. Default 34. */
  readonly depth?: number;
  /** k: the three groups have 16k, 32k, 64k channels (at `width` 16). Default 10. */
  readonly widenFactor?: number;
  /**
   * Base width, 16 in the paper: the stem has `width` channels and the groups width·k,
   * 2·width·k, 4·width·k. Lower it for CPU-sized runs. Default 16.
   */
  readonly width?: number;
}

/** Checks depth, widenFactor and width of the two WideResNet variants. */
export function checkWideResNetOptions({ depth, widenFactor, width }: Pick<WideResNetOptions, 'depth' | 'widenFactor' | 'width'>): OptionsIssue[] {
  const issues = checkPositiveIntegers({ depth, widenFactor, width });
  if (depth !== undefined && (depth < 10 || (depth - 4) % 6 !== 0)) {
    issues.push({ path: 'depth', message: `must be 6n + 4 with n ≥ 1 (10, 16, …, 28, 34, 70), got ${depth}` });
  }
  return issues;
}

/** The three groups of a WRN: stem channels → width·k (stride 1) → 2·width·k (2) → 4·width·k (2). */
export function wideResNetGroups(
  scope: (group: number) => LayerScope,
  { depth, widenFactor, width }: { readonly depth: number; readonly widenFactor: number; readonly width: number },
  blockOptions: { readonly names: PreActivationBlockNames; readonly activation: Activation; readonly downsamplePadding: 'symmetric' | 'bottom-right'; readonly weightInitialisation: ConvolutionInitialisation },
): { readonly groups: readonly ModalFeatureMap[]; readonly outputChannels: number } {
  const blocksPerGroup = (depth - 4) / 6;
  let channels = width;
  const groups = [1, 2, 4].map((multiple, index) => {
    const outputChannels = multiple * width * widenFactor;
    const group = stage(scope(index), blocksPerGroup, { inputChannels: channels, outputChannels, stride: index === 0 ? 1 : 2 }, (blockScope, shape) =>
      preActivationBlock(blockScope, { ...shape, ...blockOptions }),
    );
    channels = outputChannels;
    return group;
  });
  return { groups, outputChannels: channels };
}

/**
 * WideResNet as in TRADES and RSLAD/ABSLD `cifar10_models/wideresnet.py` (WRN-34-10, the
 * CIFAR-10 teacher): 3×3 stem `conv1`, groups `block1`, `block2`, `block3` of pre-activation
 * blocks (`block1.layer.0.bn1`, `conv1`, `bn2`, `conv2`, `convShortcut`), final `bn1`-ReLU,
 * average pool, `fc`. Initialisation as in that class: convs N(0, √(2/(k²·out))), `fc` bias 0.
 *
 * The reference also defines `sub_block1`, a copy of `block1` that `forward` never uses (it only
 * makes the TRADES checkpoint keys match); it is not built here and the teacher import ignores
 * its keys. 46,160,474 parameters for WRN-34-10 with 10 classes.
 */
export const wideResNetArchitecture: Architecture<WideResNetOptions> = {
  id: 'wide-resnet',
  check: checkWideResNetOptions,
  build: (scope, { inputShape, numClasses, depth = 34, widenFactor = 10, width = 16 }) => {
    const stem = scope.conv2d('conv1', { inputChannels: inputShape[2], outputChannels: width, kernelSize: 3, padding: 1, bias: false, weightInitialisation: 'normal-fan-out' });
    const { groups, outputChannels } = wideResNetGroups((group) => scope.within(`block${group + 1}`).within('layer'), { depth, widenFactor, width }, {
      names: { norm1: 'bn1', conv1: 'conv1', norm2: 'bn2', conv2: 'conv2', shortcut: 'convShortcut' },
      activation: activationByName('relu'),
      downsamplePadding: 'symmetric',
      weightInitialisation: 'normal-fan-out',
    });
    const norm = scope.batchNorm('bn1', { channels: outputChannels });
    const fc = scope.dense('fc', { inputFeatures: outputChannels, outputFeatures: numClasses, zeroBias: true });
    return (inputs, training) => {
      const features = groups.reduce((current, group) => group(current, training), stem(inputs));
      return fc(globalAveragePool(tf.relu(norm(features, training))));
    };
  },
};

/** A WideResNet (TRADES / RSLAD variant) model; see `wideResNetArchitecture`. */
export function createWideResNet(options: WideResNetOptions): Model {
  return createArchitectureModel(wideResNetArchitecture, options);
}
