import type { Model } from '@robustfair/spec';
import type { Architecture } from '../architecture/architecture.js';
import { createArchitectureModel } from '../architecture/create-architecture-model.js';
import { globalAveragePool } from '../blocks/global-average-pool.js';
import { type ActivationName, activationByName } from '../layers/activation.js';
import { checkWideResNetOptions, type WideResNetOptions, wideResNetGroups } from './wide-resnet.js';

/** Options of `createDmWideResNet`. */
export interface DmWideResNetOptions extends WideResNetOptions {
  /** Default `'swish'` (the teacher); the reference class defaults to ReLU. */
  readonly activation?: ActivationName;
}

/**
 * The DeepMind WideResNet of Gowal et al. 2020 as ported in RSLAD `cifar100_models/wideresnet.py`
 * (WRN-70-16 with Swish, the CIFAR-100 teacher; RobustBench's `DMWideResNet`): `init_conv`,
 * groups `layer.0`…`layer.2` of pre-activation blocks (`layer.0.block.0.batchnorm_0`, `conv_0`,
 * `batchnorm_1`, `conv_1`, `shortcut`), final `batchnorm`-activation, average pool, `logits`.
 *
 * Differences from `wide-resnet` besides the names: the strided conv pads (0, 1, 0, 1) like TF's
 * `SAME` instead of 1 on each side; PyTorch's default initialisation; the activation is an
 * option. The reference normalises inputs inside the model with the CIFAR-10 mean/std (even for
 * CIFAR-100): pass `normalization: cifar10Normalization` to match an imported teacher (the
 * `dm-wide-resnet` plugin does so by default). Defaults: depth 70, widenFactor 16, width 16.
 */
export const dmWideResNetArchitecture: Architecture<DmWideResNetOptions> = {
  id: 'dm-wide-resnet',
  check: checkWideResNetOptions,
  build: (scope, { inputShape, numClasses, depth = 70, widenFactor = 16, width = 16, activation = 'swish' }) => {
    const activate = activationByName(activation);
    const stem = scope.conv2d('init_conv', { inputChannels: inputShape[2], outputChannels: width, kernelSize: 3, padding: 1, bias: false });
    const { groups, outputChannels } = wideResNetGroups((group) => scope.within('layer').within(group).within('block'), { depth, widenFactor, width }, {
      names: { norm1: 'batchnorm_0', conv1: 'conv_0', norm2: 'batchnorm_1', conv2: 'conv_1', shortcut: 'shortcut' },
      activation: activate,
      downsamplePadding: 'bottom-right',
      weightInitialisation: 'uniform-fan-in',
    });
    const norm = scope.batchNorm('batchnorm', { channels: outputChannels });
    const logits = scope.dense('logits', { inputFeatures: outputChannels, outputFeatures: numClasses });
    return (inputs, training) => {
      const features = groups.reduce((current, group) => group(current, training), stem(inputs));
      return logits(globalAveragePool(activate(norm(features, training))));
    };
  },
};

/** A DeepMind-style WideResNet model (WRN-70-16 Swish by default); see `dmWideResNetArchitecture`. */
export function createDmWideResNet(options: DmWideResNetOptions): Model {
  return createArchitectureModel(dmWideResNetArchitecture, options);
}
