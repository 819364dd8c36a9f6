import * as tf from '@tensorflow/tfjs-core';
import type { LayerScope, ModalFeatureMap } from '../architecture/layer-scope.js';
import type { BlockShape } from './basic-residual-block.js';
import { convBatchNorm } from './conv-batch-norm.js';

/** The block's shape and its expansion factor (hidden channels = expansion · inputChannels). */
export interface InvertedResidualBlockOptions extends BlockShape {
  readonly expansion: number;
}

/**
 * MobileNetV2's block as in RSLAD `cifar10_models/mobilenet_v2.py`: 1×1 expand conv-BN-ReLU,
 * 3×3 depthwise conv-BN-ReLU (carrying the stride), 1×1 project conv-BN; at stride 1 the input
 * is added back, through a 1×1 conv-BN (`shortcut.0`, `shortcut.1`) when the channels change.
 * At stride 2 there is no residual at all.
 */
export function invertedResidualBlock(scope: LayerScope, options: InvertedResidualBlockOptions): ModalFeatureMap {
  const { inputChannels, outputChannels, stride, expansion } = options;
  const hidden = expansion * inputChannels;
  const expand = convBatchNorm(scope, { conv: 'conv1', norm: 'bn1' }, { inputChannels, outputChannels: hidden, kernelSize: 1 });
  const depthwise = convBatchNorm(scope, { conv: 'conv2', norm: 'bn2' }, { inputChannels: hidden, outputChannels: hidden, kernelSize: 3, stride, depthwise: true });
  const project = convBatchNorm(scope, { conv: 'conv3', norm: 'bn3' }, { inputChannels: hidden, outputChannels, kernelSize: 1 });
  const shortcut =
    stride === 1 && inputChannels !== outputChannels
      ? convBatchNorm(scope, { conv: 'shortcut.0', norm: 'shortcut.1' }, { inputChannels, outputChannels, kernelSize: 1 })
      : undefined;
  return (inputs, training) => {
    const output = project(tf.relu(depthwise(tf.relu(expand(inputs, training)), training)), training);
    if (stride !== 1) return output;
    return tf.add<tf.Tensor4D>(output, shortcut === undefined ? inputs : shortcut(inputs, training));
  };
}
