import type { Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { type Architecture, type ArchitectureOptions, checkPositiveIntegers } from '../architecture/architecture.js';
import { createArchitectureModel } from '../architecture/create-architecture-model.js';
import { basicResidualBlock } from '../blocks/basic-residual-block.js';
import { convBatchNorm } from '../blocks/conv-batch-norm.js';
import { globalAveragePool } from '../blocks/global-average-pool.js';
import { stage } from '../blocks/stage.js';

/** Options of `createResNet18`. */
export interface ResNet18Options extends ArchitectureOptions {
  /** Base width: channels of the stem and of `layer1`; the stages have w, 2w, 4w, 8w. Default 64 (the paper's). */
  readonly width?: number;
}

/**
 * ResNet-18, CIFAR variant (RSLAD/ABSLD `cifar10_models/resnet.py`): 3×3 stem conv-BN-ReLU with
 * no max-pool, four stages of two basic blocks (strides 1, 2, 2, 2), average pool, `linear`.
 * 11,173,962 parameters at width 64 with 10 classes.
 */
export const resNet18Architecture: Architecture<ResNet18Options> = {
  id: 'resnet18',
  check: ({ width }) => checkPositiveIntegers({ width }),
  build: (scope, { inputShape, numClasses, width = 64 }) => {
    const stem = convBatchNorm(scope, { conv: 'conv1', norm: 'bn1' }, { inputChannels: inputShape[2], outputChannels: width, kernelSize: 3 });
    let channels = width;
    const stages = [1, 2, 4, 8].map((multiple, index) => {
      const outputChannels = multiple * width;
      const built = stage(scope.within(`layer${index + 1}`), 2, { inputChannels: channels, outputChannels, stride: index === 0 ? 1 : 2 }, basicResidualBlock);
      channels = outputChannels;
      return built;
    });
    const linear = scope.dense('linear', { inputFeatures: channels, outputFeatures: numClasses });
    return (inputs, training) => {
      const features = stages.reduce((current, block) => block(current, training), tf.relu(stem(inputs, training)));
      return linear(globalAveragePool(features));
    };
  },
};

/** A ResNet-18 (CIFAR variant) model; see `resNet18Architecture`. */
export function createResNet18(options: ResNet18Options): Model {
  return createArchitectureModel(resNet18Architecture, options);
}
