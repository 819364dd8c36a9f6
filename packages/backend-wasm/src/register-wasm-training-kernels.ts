import { batchNormTrainingGradKernelName, batchNormTrainingKernelName, sgdMomentumStepKernelName } from '@robustfair/core';
import * as tf from '@tensorflow/tfjs-core';
import { batchNormTrainingGradWasm, batchNormTrainingWasm } from './batch-norm-kernels.js';
import { conv2dBackpropFilterWasm } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputWasm } from './conv2d-backprop-input.js';
import { conv2dWasm } from './conv2d.js';
import { addWasm, maximumWasm, minimumWasm, multiplyWasm, reluWasm, signWasm, stepWasm, subWasm } from './elementwise-kernels.js';
import { sgdMomentumStepWasm } from './sgd-kernel.js';
import { tileWasm } from './tile-kernel.js';
import { castWasm, identityWasm } from './shared-data-kernels.js';
import { rememberStockKernel } from './stock-kernels.js';
import { depthwiseConv2dBackpropFilterWasm, depthwiseConv2dBackpropInputWasm } from './depthwise-conv2d-backprop.js';

/** The kernels we add to (or replace in) the wasm backend so conv nets train fast on it. */
export const wasmTrainingKernels: readonly tf.KernelConfig[] = [
  { kernelName: tf.Conv2D, backendName: 'wasm', kernelFunc: conv2dWasm as unknown as tf.KernelFunc },
  { kernelName: tf.Identity, backendName: 'wasm', kernelFunc: identityWasm as unknown as tf.KernelFunc },
  { kernelName: tf.Cast, backendName: 'wasm', kernelFunc: castWasm as unknown as tf.KernelFunc },
  { kernelName: tf.Add, backendName: 'wasm', kernelFunc: addWasm as unknown as tf.KernelFunc },
  { kernelName: tf.Multiply, backendName: 'wasm', kernelFunc: multiplyWasm as unknown as tf.KernelFunc },
  { kernelName: tf.Sub, backendName: 'wasm', kernelFunc: subWasm as unknown as tf.KernelFunc },
  { kernelName: tf.Relu, backendName: 'wasm', kernelFunc: reluWasm as unknown as tf.KernelFunc },
  { kernelName: tf.Step, backendName: 'wasm', kernelFunc: stepWasm as unknown as tf.KernelFunc },
  { kernelName: tf.Minimum, backendName: 'wasm', kernelFunc: minimumWasm as unknown as tf.KernelFunc },
  { kernelName: tf.Maximum, backendName: 'wasm', kernelFunc: maximumWasm as unknown as tf.KernelFunc },
  { kernelName: tf.Sign, backendName: 'wasm', kernelFunc: signWasm as unknown as tf.KernelFunc },
  { kernelName: tf.Tile, backendName: 'wasm', kernelFunc: tileWasm as unknown as tf.KernelFunc },
  { kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc },
  { kernelName: tf.Conv2DBackpropInput, backendName: 'wasm', kernelFunc: conv2dBackpropInputWasm as unknown as tf.KernelFunc },
  {
    kernelName: tf.DepthwiseConv2dNativeBackpropInput,
    backendName: 'wasm',
    kernelFunc: depthwiseConv2dBackpropInputWasm as unknown as tf.KernelFunc,
  },
  {
    kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
    backendName: 'wasm',
    kernelFunc: depthwiseConv2dBackpropFilterWasm as unknown as tf.KernelFunc,
  },
  { kernelName: sgdMomentumStepKernelName, backendName: 'wasm', kernelFunc: sgdMomentumStepWasm as unknown as tf.KernelFunc },
  { kernelName: batchNormTrainingKernelName, backendName: 'wasm', kernelFunc: batchNormTrainingWasm as unknown as tf.KernelFunc },
  { kernelName: batchNormTrainingGradKernelName, backendName: 'wasm', kernelFunc: batchNormTrainingGradWasm as unknown as tf.KernelFunc },
];

/**
 * Registers our wasm kernels, replacing stock ones where we are faster. Called when the wasm
 * backend is activated (never at import). Idempotent.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of wasmTrainingKernels) {
    const existing = tf.getKernel(config.kernelName, 'wasm');
    if (existing?.kernelFunc === config.kernelFunc) continue;
    if (existing) {
      rememberStockKernel(existing);
      tf.unregisterKernel(config.kernelName, 'wasm');
    }
    tf.registerKernel(config);
  }
}
