// @robustfair/models: models with PyTorch conventions (init, batch norm, padding) over tfjs-core.
export { createSmallCnn, type SmallCnnOptions } from './small-cnn/small-cnn.js';
export { smallCnnOptionsSchema, smallCnnPlugin, type SmallCnnPluginOptions } from './small-cnn/small-cnn-plugin.js';
export { builtinModels } from './builtin-models.js';
export { countParameters } from './parameter-count.js';
export { createBatchNorm, type BatchNorm, type BatchNormOptions } from './layers/batch-norm.js';
export { createConv2d, type Conv2d, type Conv2dOptions } from './layers/conv2d.js';
export { createDense, type Dense, type DenseOptions } from './layers/dense.js';
export { pytorchUniformValues } from './layers/init.js';
