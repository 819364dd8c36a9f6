import type * as tf from '@tensorflow/tfjs-core';

// The names, inputs and attributes of the kernels core's training code runs when the active
// backend registers them (like TF.js's kernel_names.ts): core looks a name up with
// `tf.getKernel` and otherwise composes tf ops; a backend package (`@robustfair/backend-wasm`)
// registers kernels under these names. Nothing here depends on a backend.

/**
 * One SGD-with-momentum step for one variable, the same float32 operations as the composed
 * ops of `createSgdOptimizer`: outputs [w', v'].
 */
export const sgdMomentumStepKernelName = 'RobustfairSgdMomentumStep';
export type SgdMomentumStepInputs = Record<'w' | 'g' | 'v' | 'learningRate', tf.TensorInfo>;
// Attributes are type aliases, not interfaces: only an alias is assignable to tf.NamedAttrMap.
export type SgdMomentumStepAttrs = { readonly weightDecay: number; readonly momentum: number; readonly nesterov: boolean };

/**
 * Batch norm in training mode, forward half: x [N, H, W, C], gamma [C], beta [C] → outputs
 * [y, mean, variance (biased), rstd], each statistic [C].
 */
export const batchNormTrainingKernelName = 'RobustfairBatchNormTraining';
export type BatchNormTrainingInputs = Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
export type BatchNormTrainingAttrs = { readonly epsilon: number };

/**
 * Batch norm in training mode, backward half: dy, x, gamma, and the forward half's mean and
 * rstd → outputs [dx, dgamma, dbeta]. No attributes.
 */
export const batchNormTrainingGradKernelName = 'RobustfairBatchNormTrainingGrad';
export type BatchNormTrainingGradInputs = Record<'dy' | 'x' | 'gamma' | 'mean' | 'rstd', tf.TensorInfo>;
