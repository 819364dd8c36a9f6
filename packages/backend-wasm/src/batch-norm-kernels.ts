import { batchNormTrainingKernelName, type BatchNormTrainingAttrs, type BatchNormTrainingGradInputs, type BatchNormTrainingInputs } from '@robustfair/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-scope.js';
import { ELEMENTS_PER_THREAD, splitRange } from './kernel-threads.js';
import { heapOffset, ownKernelsFor, type OwnKernels } from './own-kernels.js';

// core's batch norm in training mode (`batchNormTraining`) runs these two kernels when the
// backend registers them under core's kernel names; without them it composes tf ops.

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

/**
 * Runs one batch-norm half as its two threaded passes (wasm/batch-norm.c): the per-channel sums
 * split by channel blocks of 4, then the elementwise pass split by rows. `sums` and `apply` take
 * the range bounds last.
 */
function runPasses(kernels: OwnKernels, rows: number, channels: number, sums: [string, number[]], apply: [string, number[]]): void {
  const threads = kernels.threads.threadsFor(rows * channels, ELEMENTS_PER_THREAD);
  kernels.threads.run(sums[0], splitRange(threads, channels, 4).map((range) => [...sums[1], ...range]));
  const [pointers, last] = [apply[1].slice(0, -1), apply[1][apply[1].length - 1] as number];
  kernels.threads.run(apply[0], splitRange(threads, rows).map((range) => [...pointers, ...range, last]));
}

function kernelsOf(backend: WasmBackendLike) {
  const kernels = ownKernelsFor(backend);
  if (!kernels) throw new Error(`${batchNormTrainingKernelName}: the wasm backend memory is not reachable`);
  return kernels;
}

/** `batchNormTrainingKernelName`: inputs x [N, H, W, C], gamma [C], beta [C]; attrs epsilon → [y, mean, variance, rstd]. */
export function batchNormTrainingWasm({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const wasm = backend as WasmBackendLike;
  const { x, gamma, beta } = inputs as BatchNormTrainingInputs;
  const channels = x.shape[x.shape.length - 1] as number;
  const rows = x.shape.reduce((product, size) => product * size, 1) / channels;
  const y = wasm.makeOutput([...x.shape], 'float32');
  const mean = wasm.makeOutput([channels], 'float32');
  const variance = wasm.makeOutput([channels], 'float32');
  const rstd = wasm.makeOutput([channels], 'float32');
  const scratch = wasm.makeOutput([8 * channels], 'float32'); // 2·C doubles, then scale and shift
  const at = (info: tf.TensorInfo) => heapOffset(wasm, info);
  runPasses(
    kernelsOf(wasm),
    rows,
    channels,
    ['batch_norm_statistics', [at(x), at(gamma), at(beta), at(mean), at(variance), at(rstd), at(scratch), rows, channels, (attrs as unknown as BatchNormTrainingAttrs).epsilon]],
    ['batch_norm_affine', [at(x), at(scratch), at(y), channels]],
  );
  wasm.disposeData(scratch.dataId);
  return [y, mean, variance, rstd];
}

/** `batchNormTrainingGradKernelName`: inputs dy, x, gamma, mean, rstd → [dx, dgamma, dbeta]. */
export function batchNormTrainingGradWasm({ inputs, backend }: KernelArgs): tf.TensorInfo[] {
  const wasm = backend as WasmBackendLike;
  const { dy, x, gamma, mean, rstd } = inputs as BatchNormTrainingGradInputs;
  const channels = x.shape[x.shape.length - 1] as number;
  const rows = x.shape.reduce((product, size) => product * size, 1) / channels;
  const dx = wasm.makeOutput([...x.shape], 'float32');
  const dgamma = wasm.makeOutput([channels], 'float32');
  const dbeta = wasm.makeOutput([channels], 'float32');
  const scratch = wasm.makeOutput([8 * channels], 'float32'); // 2·C doubles, then k1, k2, k3
  const at = (info: tf.TensorInfo) => heapOffset(wasm, info);
  runPasses(
    kernelsOf(wasm),
    rows,
    channels,
    ['batch_norm_gradient_sums', [at(dy), at(x), at(gamma), at(mean), at(rstd), at(dgamma), at(dbeta), at(scratch), rows, channels]],
    ['batch_norm_gradient_apply', [at(dy), at(x), at(scratch), at(dx), channels]],
  );
  wasm.disposeData(scratch.dataId);
  return [dx, dgamma, dbeta];
}
