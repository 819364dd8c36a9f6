import * as tf from '@tensorflow/tfjs-core';
import { runStockKernel } from './stock-kernels.js';

// TF.js's wasm Identity, and its Cast between equal dtypes, copy the whole tensor (a typed-array
// `set` on the shared heap: ~0.4 ms for a [128, 32, 32, 16] activation, hundreds of calls per
// training step from the gradient tape). The cpu backend and wasm's own Reshape share the data
// instead and count the reference; these do the same. Safe because no kernel writes its inputs.

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

interface RefCounting {
  incRef(dataId: tf.DataId): void;
}

function share(x: tf.TensorInfo, backend: tf.KernelBackend): tf.TensorInfo {
  (backend as unknown as RefCounting).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export function identityWasm({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  if (x.dtype === 'string') return runStockKernel(tf.Identity, { inputs, backend, attrs }) as tf.TensorInfo;
  return share(x, backend);
}

export function castWasm({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  if (x.dtype === (attrs as unknown as tf.CastAttrs).dtype) return share(x, backend);
  return runStockKernel(tf.Cast, { inputs, backend, attrs }) as tf.TensorInfo;
}
