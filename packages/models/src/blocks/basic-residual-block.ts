import * as tf from '@tensorflow/tfjs-core';
import type { LayerScope, ModalFeatureMap } from '../architecture/layer-scope.js';
import { convBatchNorm } from './conv-batch-norm.js';

/** Channels and stride of one block. */
export interface BlockShape {
  readonly inputChannels: number;
  readonly outputChannels: number;
  readonly stride: number;
}

/**
 * The post-activation basic block of ResNet-18 (kuangliu / RSLAD `cifar10_models/resnet.py`):
 * relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), with a 1×1 conv-BN shortcut
 * (`shortcut.0`, `shortcut.1`) when the stride or the channels change, identity otherwise.
 */
export function basicResidualBlock(scope: LayerScope, { inputChannels, outputChannels, stride }: BlockShape): ModalFeatureMap {
  const first = convBatchNorm(scope, { conv: 'conv1', norm: 'bn1' }, { inputChannels, outputChannels, kernelSize: 3, stride });
  const second = convBatchNorm(scope, { conv: 'conv2', norm: 'bn2' }, { inputChannels: outputChannels, outputChannels, kernelSize: 3 });
  const shortcut =
    stride !== 1 || inputChannels !== outputChannels
      ? convBatchNorm(scope, { conv: 'shortcut.0', norm: 'shortcut.1' }, { inputChannels, outputChannels, kernelSize: 1, stride })
      : undefined;
  return (inputs, training) => {
    const residual = second(tf.relu(first(inputs, training)), training);
    return tf.relu(tf.add<tf.Tensor4D>(residual, shortcut === undefined ? inputs : shortcut(inputs, training)));
  };
}
