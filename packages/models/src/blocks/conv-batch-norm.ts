import type { LayerScope, ModalFeatureMap } from '../architecture/layer-scope.js';
import type { EdgePadding } from '../layers/conv2d.js';

/** The PyTorch names of the two modules, e.g. `{ conv: 'conv1', norm: 'bn1' }` or `{ conv: 'shortcut.0', norm: 'shortcut.1' }`. */
export interface ConvBatchNormNames {
  readonly conv: string;
  readonly norm: string;
}

/** A bias-free convolution (the batch norm's β makes a bias redundant) followed by batch norm. */
export interface ConvBatchNormOptions {
  readonly inputChannels: number;
  readonly outputChannels: number;
  readonly kernelSize: number;
  readonly stride?: number;
  /** PyTorch `padding=p`; default (k − 1) / 2, which keeps the side at stride 1. */
  readonly padding?: number | EdgePadding;
  /** One filter per channel (`groups = channels`); needs `inputChannels === outputChannels`. */
  readonly depthwise?: boolean;
}

/**
 * conv → BN, the unit of the post-activation ResNet and of MobileNetV2. The activation stays
 * with the caller because the residual sum sometimes comes between the BN and the ReLU.
 */
export function convBatchNorm(scope: LayerScope, names: ConvBatchNormNames, options: ConvBatchNormOptions): ModalFeatureMap {
  const { inputChannels, outputChannels, kernelSize, stride = 1, padding = (kernelSize - 1) / 2, depthwise = false } = options;
  if (depthwise && inputChannels !== outputChannels) {
    throw new RangeError(`${names.conv}: a depthwise convolution keeps the channels, got ${inputChannels} → ${outputChannels}`);
  }
  const convolution = depthwise
    ? scope.depthwiseConv2d(names.conv, { channels: inputChannels, kernelSize, stride, padding })
    : scope.conv2d(names.conv, { inputChannels, outputChannels, kernelSize, stride, padding, bias: false });
  const norm = scope.batchNorm(names.norm, { channels: outputChannels });
  return (inputs, training) => norm(convolution(inputs), training);
}
