import type * as tf from '@tensorflow/tfjs-core';
import { plainModuleBase64, sharedModuleBase64 } from './layout-kernels.generated.js';
import type { KernelScope, WasmBackendLike } from './kernel-scope.js';

/**
 * Our own WebAssembly layout kernels (wasm/layout-kernels.c), instantiated on the wasm backend's
 * own memory so they read and write its tensors in place. Arguments are byte offsets into that
 * memory and sizes; see the C source for the index rules.
 */
export interface LayoutKernels {
  /** [N, P, C] → [C, P, N]. */
  transposeBatchToChannels(source: number, target: number, batch: number, pixels: number, channels: number): void;
  /** [N, P, C] → [P, N, C]. */
  moveBatchInward(source: number, target: number, batch: number, pixels: number, channels: number): void;
  /** One stride phase [N, rows, cols, C] into dx [N, H, W, C] (see sub-pixel-phases.ts). */
  interleavePhase(
    source: number,
    target: number,
    batch: number,
    rows: number,
    columns: number,
    channels: number,
    height: number,
    width: number,
    strideHeight: number,
    strideWidth: number,
    rowPhase: number,
    columnPhase: number,
    top: number,
    left: number,
  ): void;
}

/** The WebAssembly API this file uses (the project compiles without the DOM lib, which declares it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface EmscriptenModuleLike {
  wasmMemory?: WasmMemory;
  asm?: { memory?: WasmMemory };
}

const instances = new WeakMap<WasmMemory, LayoutKernels>();

/**
 * The kernels for this backend's memory (one instance per memory, made on first use), or
 * undefined when the memory cannot be found (another TF.js build): callers fall back to Transpose.
 */
export function layoutKernelsFor(backend: WasmBackendLike): LayoutKernels | undefined {
  const module = (backend as unknown as { wasm?: EmscriptenModuleLike }).wasm;
  // The threaded module exports its memory as `wasmMemory`, the single-threaded one as `asm.memory`.
  const memory = module?.wasmMemory ?? module?.asm?.memory;
  if (!memory) return undefined;
  let kernels = instances.get(memory);
  if (!kernels) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = Buffer.from(shared ? sharedModuleBase64 : plainModuleBase64, 'base64');
    const instance = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } });
    const exports = instance.exports as Record<string, (...args: number[]) => void>;
    kernels = {
      transposeBatchToChannels: exports['transpose_batch_to_channels'] as LayoutKernels['transposeBatchToChannels'],
      moveBatchInward: exports['move_batch_inward'] as LayoutKernels['moveBatchInward'],
      interleavePhase: exports['interleave_phase'] as LayoutKernels['interleavePhase'],
    };
    instances.set(memory, kernels);
  }
  return kernels;
}

/** The byte offset of a tensor in the backend's memory (stable when the memory grows). */
export function heapOffset(backend: WasmBackendLike, info: tf.TensorInfo): number {
  return backend.typedArrayFromHeap(info).byteOffset;
}

/** Runs one layout kernel from a 4-D [N, H, W, C] tensor into a new tensor of `shape`. */
function relayout(scope: KernelScope, x: tf.TensorInfo, shape: number[], kernel: 'transposeBatchToChannels' | 'moveBatchInward', perm: number[]): tf.TensorInfo {
  const kernels = layoutKernelsFor(scope.backend);
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
