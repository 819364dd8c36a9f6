// @robustfair/models: models with PyTorch conventions (init, batch norm, padding) over tfjs-core.
export { createSmallCnn, type SmallCnnOptions } from './small-cnn/small-cnn.js';
export { smallCnnOptionsSchema, smallCnnPlugin, type SmallCnnPluginOptions } from './small-cnn/small-cnn-plugin.js';

// Architectures (factories, definitions for parameterShapes, options) and their plugins.
export { createResNet18, resNet18Architecture, type ResNet18Options } from './resnet/resnet18.js';
export { resNet18OptionsSchema, resNet18Plugin, type ResNet18PluginOptions } from './resnet/resnet18-plugin.js';
export { createPreActResNet18, preActResNet18Architecture, type PreActResNet18Options } from './preact-resnet/preact-resnet18.js';
export { preActResNet18OptionsSchema, preActResNet18Plugin, type PreActResNet18PluginOptions } from './preact-resnet/preact-resnet18-plugin.js';
export { createMobileNetV2, mobileNetV2Architecture, type MobileNetV2Options } from './mobilenet-v2/mobilenet-v2.js';
export { mobileNetV2OptionsSchema, mobileNetV2Plugin, type MobileNetV2PluginOptions } from './mobilenet-v2/mobilenet-v2-plugin.js';
export { createWideResNet, wideResNetArchitecture, type WideResNetOptions } from './wide-resnet/wide-resnet.js';
export { wideResNetOptionsSchema, wideResNetPlugin, type WideResNetPluginOptions } from './wide-resnet/wide-resnet-plugin.js';
export { createDmWideResNet, dmWideResNetArchitecture, type DmWideResNetOptions } from './wide-resnet/dm-wide-resnet.js';
export { dmWideResNetOptionsSchema, dmWideResNetPlugin, type DmWideResNetPluginOptions } from './wide-resnet/dm-wide-resnet-plugin.js';
export { builtinModels } from './builtin-models.js';

// Building blocks for architectures of your own.
export type { Architecture, ArchitectureOptions, Forward } from './architecture/architecture.js';
export { countTrainableParameters, createArchitectureModel, parameterShapes } from './architecture/create-architecture-model.js';
export type { FeatureMap, LayerScope, LinearMap, ModalFeatureMap, ParameterShape } from './architecture/layer-scope.js';
export { cifar100Normalization, cifar10Normalization, type InputNormalization } from './architecture/input-normalization.js';
export { countParameters } from './parameter-count.js';

// Teacher import from PyTorch checkpoints.
export { exportSafetensors, serializeSafetensors, type ExportSafetensorsOptions, type SafetensorsTensor } from './teacher-import/export-safetensors.js';
export { CheckpointMismatchError, importSafetensors, type ImportReport, type ImportSafetensorsOptions } from './teacher-import/import-safetensors.js';
export {
  decodeFloat32,
  maximumSafetensorsHeaderBytes,
  parseSafetensors,
  parseSafetensorsHeader,
  safetensorsHeaderLength,
  SafetensorsFormatError,
  type SafetensorsEntry,
  type SafetensorsSlot,
} from './teacher-import/safetensors.js';
export { teacherArchitectures, type TeacherArchitecture, type TeacherArchitectureId } from './teacher-import/teacher-architectures.js';

// Layers.
export { activationByName, type Activation, type ActivationName } from './layers/activation.js';
export { createBatchNorm, type BatchNorm, type BatchNormOptions } from './layers/batch-norm.js';
export { createConv2d, type Conv2d, type Conv2dOptions, type ConvolutionInitialisation, type EdgePadding } from './layers/conv2d.js';
export { createDense, type Dense, type DenseOptions } from './layers/dense.js';
export { createDepthwiseConv2d, type DepthwiseConv2d, type DepthwiseConv2dOptions } from './layers/depthwise-conv2d.js';
export { normalFanOutValues, pytorchUniformValues } from './layers/init.js';
