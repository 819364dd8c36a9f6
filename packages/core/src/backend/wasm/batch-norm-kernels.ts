import type * as tf from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-scope.js';
import { heapOffset, ownKernelsFor } from './own-kernels.js';

/**
 * Kernel names of core's batch norm in training mode, when a backend has a fused version of it
 * (wasm: wasm/batch-norm.c). Without them `batchNormTraining` composes tf ops.
 */
export const batchNormTrainingKernelName = 'RobustfairBatchNormTraining';
export const batchNormTrainingGradKernelName = 'RobustfairBatchNormTrainingGrad';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

function kernelsOf(backend: WasmBackendLike) {
  const kernels = ownKernelsFor(backend);
  if (!kernels) throw new Error(`${batchNormTrainingKernelName}: the wasm backend memory is not reachable`);
  return kernels;
}

/** inputs x [N, H, W, C], gamma [C], beta [C]; attrs epsilon → [y, mean, variance, rstd]. */
export function batchNormTrainingWasm({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const wasm = backend as WasmBackendLike;
  const { x, gamma, beta } = inputs as { x: tf.TensorInfo; gamma: tf.TensorInfo; beta: tf.TensorInfo };
  const channels = x.shape[x.shape.length - 1] as number;
  const rows = x.shape.reduce((product, size) => product * size, 1) / channels;
  const y = wasm.makeOutput([...x.shape], 'float32');
  const mean = wasm.makeOutput([channels], 'float32');
  const variance = wasm.makeOutput([channels], 'float32');
  const rstd = wasm.makeOutput([channels], 'float32');
  const scratch = wasm.makeOutput([4 * channels], 'float32'); // 2·C doubles
  const at = (info: tf.TensorInfo) => heapOffset(wasm, info);
  kernelsOf(wasm).batchNormForward(at(x), at(gamma), at(beta), at(y), at(mean), at(variance), at(rstd), at(scratch), rows, channels, attrs['epsilon'] as number);
  wasm.disposeData(scratch.dataId);
  return [y, mean, variance, rstd];
}

/** inputs dy, x, gamma, mean, rstd → [dx, dgamma, dbeta]. */
export function batchNormTrainingGradWasm({ inputs, backend }: KernelArgs): tf.TensorInfo[] {
  const wasm = backend as WasmBackendLike;
  const { dy, x, gamma, mean, rstd } = inputs as Record<'dy' | 'x' | 'gamma' | 'mean' | 'rstd', tf.TensorInfo>;
  const channels = x.shape[x.shape.length - 1] as number;
  const rows = x.shape.reduce((product, size) => product * size, 1) / channels;
  const dx = wasm.makeOutput([...x.shape], 'float32');
  const dgamma = wasm.makeOutput([channels], 'float32');
  const dbeta = wasm.makeOutput([channels], 'float32');
  const scratch = wasm.makeOutput([4 * channels], 'float32');
  const at = (info: tf.TensorInfo) => heapOffset(wasm, info);
  kernelsOf(wasm).batchNormBackward(at(dy), at(x), at(gamma), at(mean), at(rstd), at(dx), at(dgamma), at(dbeta), at(scratch), rows, channels);
  wasm.disposeData(scratch.dataId);
  return [dx, dgamma, dbeta];
}
