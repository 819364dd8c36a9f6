import * as tf from '@tensorflow/tfjs-core';
import type { LayerScope, ModalFeatureMap } from '../architecture/layer-scope.js';
import type { Activation } from '../layers/activation.js';
import type { ConvolutionInitialisation, EdgePadding } from '../layers/conv2d.js';
import type { BlockShape } from './basic-residual-block.js';

/** PyTorch names of the block's modules; they differ between the reference repositories. */
export interface PreActivationBlockNames {
  readonly norm1: string;
  readonly conv1: string;
  readonly norm2: string;
  readonly conv2: string;
  readonly shortcut: string;
}

/** The block's shape plus the details in which PreActResNet, WRN (TRADES) and WRN (DeepMind) differ. */
export interface PreActivationBlockOptions extends BlockShape {
  readonly names: PreActivationBlockNames;
  readonly activation: Activation;
  /**
   * Padding of the strided 3×3 conv: `'symmetric'` is PyTorch `padding=1`; `'bottom-right'`
   * pads (0, 1, 0, 1) as the DeepMind WRN port does to reproduce TF's `SAME` at stride 2.
   */
  readonly downsamplePadding: 'symmetric' | 'bottom-right';
  readonly weightInitialisation: ConvolutionInitialisation;
}

/**
 * The pre-activation residual block shared by PreActResNet-18 (CFA / FRL), WideResNet-34-10
 * (TRADES / RSLAD) and the DeepMind WideResNet-70-16 (Gowal et al.):
 *
 *   a = act(norm1(x));  out = conv2(act(norm2(conv1(a)))) + (shortcut ? shortcutConv(a) : x)
 *
 * The 1×1 shortcut (no BN) exists when the stride or the channels change. The WRN classes test
 * only the channels, but in every WRN a strided block also changes the channels, so the rule
 * is the same.
 */
export function preActivationBlock(scope: LayerScope, options: PreActivationBlockOptions): ModalFeatureMap {
  const { inputChannels, outputChannels, stride, names, activation, downsamplePadding, weightInitialisation } = options;
  const conv = (name: string, inputs: number, kernelSize: number, convStride: number, padding: number | EdgePadding) =>
    scope.conv2d(name, { inputChannels: inputs, outputChannels, kernelSize, stride: convStride, padding, bias: false, weightInitialisation });
  const norm1 = scope.batchNorm(names.norm1, { channels: inputChannels });
  const conv1 = conv(names.conv1, inputChannels, 3, stride, stride !== 1 && downsamplePadding === 'bottom-right' ? { top: 0, bottom: 1, left: 0, right: 1 } : 1);
  const norm2 = scope.batchNorm(names.norm2, { channels: outputChannels });
  const conv2 = conv(names.conv2, outputChannels, 3, 1, 1);
  const shortcut = stride !== 1 || inputChannels !== outputChannels ? conv(names.shortcut, inputChannels, 1, stride, 0) : undefined;
  return (inputs, training) => {
    const activated = activation(norm1(inputs, training));
    const residual = conv2(activation(norm2(conv1(activated), training)));
    return tf.add<tf.Tensor4D>(residual, shortcut === undefined ? inputs : shortcut(activated));
  };
}
