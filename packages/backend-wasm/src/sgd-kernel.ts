import { sgdMomentumStepKernelName, type SgdMomentumStepAttrs, type SgdMomentumStepInputs } from '@robustfair/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-scope.js';
import { ELEMENTS_PER_THREAD, splitRange } from './kernel-threads.js';
import { heapOffset, ownKernelsFor } from './own-kernels.js';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

/** core's `sgdMomentumStepKernelName` on wasm/sgd.c: inputs w, g, v, learningRate (scalar) → [w', v']. */
export function sgdMomentumStepWasm({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const wasm = backend as WasmBackendLike;
  const kernels = ownKernelsFor(wasm);
  if (!kernels) throw new Error(`${sgdMomentumStepKernelName}: the wasm backend memory is not reachable`);
  const { w, g, v, learningRate } = inputs as SgdMomentumStepInputs;
  const { weightDecay, momentum, nesterov } = attrs as unknown as SgdMomentumStepAttrs;
  const size = w.shape.reduce((product, length) => product * length, 1);
  const wOut = wasm.makeOutput([...w.shape], 'float32');
  const vOut = wasm.makeOutput([...w.shape], 'float32');
  const at = (info: tf.TensorInfo) => heapOffset(wasm, info);
  const threads = kernels.threads.threadsFor(size, ELEMENTS_PER_THREAD);
  kernels.threads.run(
    'sgd_momentum_step',
    splitRange(threads, size, 4).map(([begin, end]) => [at(w), at(g), at(v), at(wOut), at(vOut), at(learningRate), weightDecay, momentum, nesterov ? 1 : 0, begin, end]),
  );
  return [wOut, vOut];
}
