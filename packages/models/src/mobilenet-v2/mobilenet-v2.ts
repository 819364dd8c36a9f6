import type { Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { type Architecture, type ArchitectureOptions, checkPositiveIntegers } from '../architecture/architecture.js';
import type { ModalFeatureMap } from '../architecture/layer-scope.js';
import { createArchitectureModel } from '../architecture/create-architecture-model.js';
import { convBatchNorm } from '../blocks/conv-batch-norm.js';
import { globalAveragePool } from '../blocks/global-average-pool.js';
import { invertedResidualBlock } from '../blocks/inverted-residual-block.js';

/** Options of `createMobileNetV2`. */
export interface MobileNetV2Options extends ArchitectureOptions {
  /**
   * Channels of the stem conv, 32 in the reference. Every other channel count c of the
   * reference is scaled to max(1, round(c · width / 32)) (16, 24, …, 320, and 1280 for the head);
   * the expansion factors stay. Default 32.
   */
  readonly width?: number;
}

/** (expansion, output channels, blocks, stride of the first block): RSLAD's CIFAR configuration. */
const configuration: readonly (readonly [number, number, number, number])[] = [
  [1, 16, 1, 1],
  [6, 24, 2, 1],
  [6, 32, 3, 2],
  [6, 64, 4, 2],
  [6, 96, 3, 1],
  [6, 160, 3, 2],
  [6, 320, 1, 1],
];

/**
 * MobileNetV2, CIFAR variant (RSLAD/ABSLD `cifar10_models/mobilenet_v2.py`): a stride-1 3×3
 * stem conv-BN-ReLU, 17 inverted-residual blocks (`layers.0` … `layers.16`, total stride 8),
 * a 1×1 conv-BN-ReLU to 1280 channels (`conv2`, `bn2`), average pool, `linear`. Depthwise
 * convolutions use `tf.depthwiseConv2d`. 2,296,922 parameters at width 32 with 10 classes.
 */
export const mobileNetV2Architecture: Architecture<MobileNetV2Options> = {
  id: 'mobilenet-v2',
  check: ({ width }) => checkPositiveIntegers({ width }),
  build: (scope, { inputShape, numClasses, width = 32 }) => {
    const scaled = (channels: number) => Math.max(1, Math.round((channels * width) / 32));
    const stem = convBatchNorm(scope, { conv: 'conv1', norm: 'bn1' }, { inputChannels: inputShape[2], outputChannels: width, kernelSize: 3 });
    const blocks: ModalFeatureMap[] = [];
    let channels = width;
    for (const [expansion, outputChannels, count, stride] of configuration) {
      for (let index = 0; index < count; index++) {
        const block = invertedResidualBlock(scope.within('layers').within(blocks.length), {
          inputChannels: channels,
          outputChannels: scaled(outputChannels),
          stride: index === 0 ? stride : 1,
          expansion,
        });
        blocks.push(block);
        channels = scaled(outputChannels);
      }
    }
    const head = convBatchNorm(scope, { conv: 'conv2', norm: 'bn2' }, { inputChannels: channels, outputChannels: scaled(1280), kernelSize: 1 });
    const linear = scope.dense('linear', { inputFeatures: scaled(1280), outputFeatures: numClasses });
    return (inputs, training) => {
      const features = blocks.reduce((current, block) => block(current, training), tf.relu(stem(inputs, training)));
      return linear(globalAveragePool(tf.relu(head(features, training))));
    };
  },
};

/** A MobileNetV2 (CIFAR variant) model; see `mobileNetV2Architecture`. */
export function createMobileNetV2(options: MobileNetV2Options): Model {
  return createArchitectureModel(mobileNetV2Architecture, options);
}
