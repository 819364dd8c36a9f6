import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-scope.js';
import { runStockKernel } from './stock-kernels.js';

// TF.js's wasm Tile walks the output one element at a time through a generic index computation:
// 6.5 ms to broadcast an [18, 1, 1, 1] bool mask to [18, 32, 32, 3], which `tf.where` does before
// every per-sample choice between two image batches (every APGD iteration does four, every
// Square query one), more than the small CNN's forward pass on those images. The two tilings
// that broadcasting produces are block copies on the heap:
// - trailing: x is [d0, …, dk−1, 1, …, 1] and only the unit axes repeat, so each element of x
//   becomes a contiguous run (a fill);
// - leading: x is [1, …, 1, dk, …] and only the unit axes repeat, so all of x is copied
//   end to end.
// Every other tiling goes to TF.js's kernel.

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

type HeapArray = Float32Array | Int32Array | Uint8Array;

const product = (values: readonly number[]) => values.reduce((total, value) => total * value, 1);

/** The first axis from which on x's sizes are all 1 and before which no axis repeats; -1 when there is none. */
function trailingSplit(shape: readonly number[], reps: readonly number[]): number {
  for (let split = 0; split <= shape.length; split++) {
    if (shape.slice(split).every((size) => size === 1) && reps.slice(0, split).every((rep) => rep === 1)) return split;
  }
  return -1;
}

/** The first axis from which on nothing repeats, when every axis before it has size 1; -1 when there is none. */
function leadingSplit(shape: readonly number[], reps: readonly number[]): number {
  for (let split = shape.length; split >= 0; split--) {
    if (shape.slice(0, split).every((size) => size === 1) && reps.slice(split).every((rep) => rep === 1)) return split;
  }
  return -1;
}

export function tileWasm(args: KernelArgs): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  const { reps } = args.attrs as unknown as tf.TileAttrs;
  const backend = args.backend as WasmBackendLike;
  const stock = () => runStockKernel(tf.Tile, args) as tf.TensorInfo;
  if (x.dtype === 'string' || x.dtype === 'complex64' || reps.length !== x.shape.length) return stock();
  const shape = x.shape.map((size, axis) => size * (reps[axis] ?? 1));
  const trailing = trailingSplit(x.shape, reps);
  const leading = trailing < 0 ? leadingSplit(x.shape, reps) : -1;
  if (trailing < 0 && leading < 0) return stock();
  const out = backend.makeOutput(shape, x.dtype);
  const source = backend.typedArrayFromHeap(x) as HeapArray;
  const target = backend.typedArrayFromHeap(out) as HeapArray;
  if (trailing >= 0) {
    const run = product(reps.slice(trailing));
    if (run === 1) target.set(source);
    else for (let index = 0; index < source.length; index++) target.fill(source[index] as number, index * run, (index + 1) * run);
  } else {
    for (let offset = 0; offset < target.length; offset += source.length) target.set(source, offset);
  }
  return out;
}
