import type { ModelPlugin } from '@robustfair/spec';
import { mobileNetV2Plugin } from './mobilenet-v2/mobilenet-v2-plugin.js';
import { preActResNet18Plugin } from './preact-resnet/preact-resnet18-plugin.js';
import { resNet18Plugin } from './resnet/resnet18-plugin.js';
import { smallCnnPlugin } from './small-cnn/small-cnn-plugin.js';
import { dmWideResNetPlugin } from './wide-resnet/dm-wide-resnet-plugin.js';
import { wideResNetPlugin } from './wide-resnet/wide-resnet-plugin.js';

/** Every model plugin this package provides: the one place to add one. */
export const builtinModels: readonly ModelPlugin[] = [
  smallCnnPlugin,
  resNet18Plugin,
  preActResNet18Plugin,
  mobileNetV2Plugin,
  wideResNetPlugin,
  dmWideResNetPlugin,
];
