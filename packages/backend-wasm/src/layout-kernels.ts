import type * as tf from '@tensorflow/tfjs-core';
import type { KernelScope } from './kernel-scope.js';
import { heapOffset, ownKernelsFor } from './own-kernels.js';

// Conv2DBackpropFilter's layout changes on our own wasm kernels (wasm/layout-kernels.c): TF.js's
// Transpose runs them at ~8 ns per element, a third of the whole kernel.

/** Runs one layout kernel from a 4-D [N, H, W, C] tensor into a new tensor of `shape`. */
function relayout(scope: KernelScope, x: tf.TensorInfo, shape: number[], kernel: 'transposeBatchToChannels' | 'moveBatchInward', perm: number[]): tf.TensorInfo {
  const kernels = ownKernelsFor(scope.backend);
  if (!kernels) return scope.run('Transpose', { x }, { perm });
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const output = scope.output(shape);
  kernels[kernel](heapOffset(scope.backend, x), heapOffset(scope.backend, output.info), batch, height * width, channels);
  return output.info;
}

/** [N, H, W, C] → [C, H, W, N] (Transpose perm [3, 1, 2, 0]). */
export function batchToChannels(scope: KernelScope, x: tf.TensorInfo): tf.TensorInfo {
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  return relayout(scope, x, [channels, height, width, batch], 'transposeBatchToChannels', [3, 1, 2, 0]);
}

/** [N, H, W, C] → [H, W, N, C] (Transpose perm [1, 2, 0, 3]). */
export function batchInward(scope: KernelScope, x: tf.TensorInfo): tf.TensorInfo {
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  return relayout(scope, x, [height, width, batch, channels], 'moveBatchInward', [1, 2, 0, 3]);
}
