import type { Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { type Architecture, type ArchitectureOptions, checkPositiveIntegers } from '../architecture/architecture.js';
import { createArchitectureModel } from '../architecture/create-architecture-model.js';
import { globalAveragePool } from '../blocks/global-average-pool.js';
import { preActivationBlock } from '../blocks/pre-activation-block.js';
import { stage } from '../blocks/stage.js';
import { activationByName } from '../layers/activation.js';

/** Options of `createPreActResNet18`. */
export interface PreActResNet18Options extends ArchitectureOptions {
  /** Base width: the stages have w, 2w, 4w, 8w channels. Default 64. */
  readonly width?: number;
  /**
   * BN + ReLU after the last stage (`bn`), as in CFA's `model.py`; false is FRL's
   * `pre_resnet.py`, which pools the raw residual sum. Default true.
   */
  readonly finalBatchNorm?: boolean;
}

/**
 * PreActResNet-18 (CFA / FRL): 3×3 stem conv (no BN), four stages of two pre-activation
 * blocks (strides 1, 2, 2, 2), optional final BN-ReLU, average pool, `linear`. 11,172,170
 * parameters at width 64 with the final BN, 11,171,146 without (10 classes).
 */
export const preActResNet18Architecture: Architecture<PreActResNet18Options> = {
  id: 'preact-resnet18',
  check: ({ width }) => checkPositiveIntegers({ width }),
  build: (scope, { inputShape, numClasses, width = 64, finalBatchNorm = true }) => {
    const stem = scope.conv2d('conv1', { inputChannels: inputShape[2], outputChannels: width, kernelSize: 3, padding: 1, bias: false });
    const relu = activationByName('relu');
    let channels = width;
    const stages = [1, 2, 4, 8].map((multiple, index) => {
      const outputChannels = multiple * width;
      const built = stage(scope.within(`layer${index + 1}`), 2, { inputChannels: channels, outputChannels, stride: index === 0 ? 1 : 2 }, (blockScope, shape) =>
        preActivationBlock(blockScope, {
          ...shape,
          names: { norm1: 'bn1', conv1: 'conv1', norm2: 'bn2', conv2: 'conv2', shortcut: 'shortcut.0' },
          activation: relu,
          downsamplePadding: 'symmetric',
          weightInitialisation: 'uniform-fan-in',
        }),
      );
      channels = outputChannels;
      return built;
    });
    const norm = finalBatchNorm ? scope.batchNorm('bn', { channels }) : undefined;
    const linear = scope.dense('linear', { inputFeatures: channels, outputFeatures: numClasses });
    return (inputs, training) => {
      const features = stages.reduce((current, block) => block(current, training), stem(inputs));
      return linear(globalAveragePool(norm === undefined ? features : tf.relu(norm(features, training))));
    };
  },
};

/** A PreActResNet-18 model; see `preActResNet18Architecture`. */
export function createPreActResNet18(options: PreActResNet18Options): Model {
  return createArchitectureModel(preActResNet18Architecture, options);
}
