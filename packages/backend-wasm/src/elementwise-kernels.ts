import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-scope.js';
import { heapOffset, ownKernelsFor } from './own-kernels.js';
import { ELEMENTS_PER_THREAD, splitRange } from './kernel-threads.js';
import { runStockKernel } from './stock-kernels.js';

// Add, Multiply, Sub, Minimum, Maximum, Relu, Step (alpha 0) and Sign on our own threaded SIMD
// kernels (wasm/elementwise.c) for large float32 tensors: same shapes, a per-channel vector (the
// last axis, e.g. batch norm's folded scale) or a scalar. Everything else, and small tensors (where a
// hand-over to the helper threads costs more than it saves), goes to TF.js's own kernel.

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

/** Below this many output elements the stock kernel runs. */
export const OWN_ELEMENTWISE_MIN = 1 << 14;

const operations = { [tf.Add]: 0, [tf.Multiply]: 1, [tf.Sub]: 2, [tf.Minimum]: 3, [tf.Maximum]: 4 } as const;

const product = (shape: readonly number[]) => shape.reduce((total, size) => total * size, 1);

/** True when `vector` holds one value per last-axis entry of `shape` (every other axis 1). */
function isChannelVector(vector: readonly number[], shape: readonly number[]): boolean {
  const channels = shape[shape.length - 1] ?? 1;
  return vector.length >= 1 && vector[vector.length - 1] === channels && product(vector) === channels;
}

function runBinary(kernelName: keyof typeof operations, args: KernelArgs): tf.TensorInfo {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const backend = args.backend as WasmBackendLike;
  const kernels = ownKernelsFor(backend);
  const stock = () => runStockKernel(kernelName, args) as tf.TensorInfo;
  if (!kernels || a.dtype !== 'float32' || b.dtype !== 'float32') return stock();
  const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const size = product(shape);
  if (size < OWN_ELEMENTWISE_MIN) return stock();
  const op = operations[kernelName];
  const [sizeA, sizeB] = [product(a.shape), product(b.shape)];
  const at = (info: tf.TensorInfo) => heapOffset(backend, info);
  const channels = shape[shape.length - 1] as number;
  let plan: ((out: tf.TensorInfo) => void) | undefined;
  if (sizeA === size && sizeB === size) {
    plan = (out) => kernels.threads.run('binary_same', splitRange(kernels.threads.threadsFor(size, ELEMENTS_PER_THREAD), size, 4).map(([begin, end]) => [op, at(a), at(b), at(out), begin, end]));
  } else {
    // The full-size operand, the small one, and whether the small one comes first (Sub).
    const perChannel = (full: tf.TensorInfo, small: number, width: number, smallFirst: number) => (out: tf.TensorInfo) =>
      kernels.threads.run('binary_per_channel', splitRange(kernels.threads.threadsFor(size, ELEMENTS_PER_THREAD), size / width, 1).map(([begin, end]) => [op, at(full), small, at(out), begin, end, width, smallFirst]));
    if (sizeA === size && isChannelVector(b.shape, shape)) plan = perChannel(a, at(b), channels, 0);
    else if (sizeB === size && isChannelVector(a.shape, shape)) plan = perChannel(b, at(a), channels, 1);
    else if ((sizeA === 1 || sizeB === 1) && size % 4 === 0) {
      const [full, scalar, first] = sizeB === 1 ? [a, b, 0] : [b, a, 1];
      const copies = backend.makeOutput([4], 'float32');
      backend.typedArrayFromHeap(copies).fill(backend.typedArrayFromHeap(scalar)[0] as number);
      const out = backend.makeOutput(shape, 'float32');
      perChannel(full, at(copies), 4, first)(out);
      backend.disposeData(copies.dataId);
      return out;
    }
  }
  if (!plan) return stock();
  const out = backend.makeOutput(shape, 'float32');
  plan(out);
  return out;
}

/** The `mode` argument of wasm/elementwise.c's `unary`. */
const unaryModes = { [tf.Relu]: 0, [tf.Step]: 1, [tf.Sign]: 2 } as const;

function runUnary(kernelName: keyof typeof unaryModes, args: KernelArgs): tf.TensorInfo {
  const mode = unaryModes[kernelName];
  const { x } = args.inputs as { x: tf.TensorInfo };
  const backend = args.backend as WasmBackendLike;
  const kernels = ownKernelsFor(backend);
  const size = product(x.shape);
  const alpha = (args.attrs as { alpha?: number } | undefined)?.alpha ?? 0;
  if (!kernels || x.dtype !== 'float32' || size < OWN_ELEMENTWISE_MIN || (kernelName === tf.Step && alpha !== 0)) return runStockKernel(kernelName, args) as tf.TensorInfo;
  const out = backend.makeOutput([...x.shape], 'float32');
  const [source, target] = [heapOffset(backend, x), heapOffset(backend, out)];
  kernels.threads.run('unary', splitRange(kernels.threads.threadsFor(size, ELEMENTS_PER_THREAD), size, 4).map(([begin, end]) => [mode, source, target, begin, end]));
  return out;
}

export const addWasm = (args: KernelArgs) => runBinary(tf.Add, args);
export const multiplyWasm = (args: KernelArgs) => runBinary(tf.Multiply, args);
export const subWasm = (args: KernelArgs) => runBinary(tf.Sub, args);
export const minimumWasm = (args: KernelArgs) => runBinary(tf.Minimum, args);
export const maximumWasm = (args: KernelArgs) => runBinary(tf.Maximum, args);
export const reluWasm = (args: KernelArgs) => runUnary(tf.Relu, args);
export const stepWasm = (args: KernelArgs) => runUnary(tf.Step, args);
export const signWasm = (args: KernelArgs) => runUnary(tf.Sign, args);
