import type * as tf from '@tensorflow/tfjs-core';
import { plainModuleBase64, plainRelaxedModuleBase64, sharedModuleBase64, sharedRelaxedModuleBase64 } from './own-kernels.generated.js';
import type { WasmBackendLike } from './kernel-scope.js';
import { KernelThreads } from './kernel-threads.js';
import { wasmSimdVariant } from './wasm-simd-variant.js';
import { wantedWasmThreads } from './wasm-threads.js';

/**
 * Our own WebAssembly kernels (packages/backend-wasm/wasm/*.c), instantiated on the wasm backend's own
 * memory so they read and write its tensors in place. Arguments are byte offsets into that memory
 * and sizes; see the C sources for the rules.
 */
export interface OwnKernels {
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
  /** w [taps_in, out] → packed [⌈out/8⌉][taps_in][8], zero padded (wasm/conv2d.c). */
  conv2dPackFilter(filter: number, packed: number, tapsIn: number, outChannels: number): void;
  /** w [kh, kw, in, out] → [kh, kw, out, in] flipped in both spatial axes (wasm/conv2d.c). */
  conv2dFlipFilter(filter: number, flipped: number, filterHeight: number, filterWidth: number, inChannels: number, outChannels: number): void;
  /** The 3×3 filter's Winograd F(2×2, 3×3) transform, packed for `winograd_conv2d` (wasm/winograd.c). */
  winogradPackFilter(filter: number, packed: number, inChannels: number, outChannels: number): void;
  winogradPackedFloats(inChannels: number, outChannels: number): number;
  /** Floats of one thread's Winograd scratch. */
  winogradScratchFloats(height: number, width: number, inChannels: number, outChannels: number): number;
  /** The 3×3 filter's Winograd F(4×4, 3×3) transform, packed for `winograd4_conv2d` (wasm/winograd-f4.c). */
  winograd4PackFilter(filter: number, packed: number, inChannels: number, outChannels: number): void;
  winograd4PackedFloats(inChannels: number, outChannels: number): number;
  /** Floats of one thread's Winograd F(4×4, 3×3) scratch. */
  winograd4ScratchFloats(height: number, width: number, inChannels: number, outChannels: number): number;
  /** Floats of one thread's scratch for `winograd_filter_grad` (wasm/winograd-filter-grad.c). */
  winogradFilterGradScratchFloats(inChannels: number, outChannels: number): number;
  /** Floats of the transformed-domain sums [16][⌈Ci/4⌉·4][⌈Co/8⌉·8] the threads fill. */
  winogradFilterGradMFloats(inChannels: number, outChannels: number): number;
  /** dw [3, 3, Ci, Co] from the transformed-domain sums (one thread, after every k range is done). */
  winogradFilterGradOutput(sums: number, dw: number, inChannels: number, outChannels: number): void;
  /** Every stride phase's sub-filter of the input gradient, packed for `conv2d_backprop_input` (wasm/conv2d.c). */
  conv2dBackpropInputPack(filter: number, packed: number, filterHeight: number, filterWidth: number, dxChannels: number, dyChannels: number, strideHeight: number, strideWidth: number): void;
  /** The floats `conv2dBackpropInputPack` writes. */
  conv2dBackpropInputPackedFloats(filterHeight: number, filterWidth: number, dxChannels: number, dyChannels: number, strideHeight: number, strideWidth: number): number;
  /**
   * The kernels that split over threads (`threads.run(name, one argument list per thread)`):
   * `conv2d_filter_grad` (wasm/conv2d-filter-grad.c), `conv2d_forward` and `conv2d_backprop_input` (wasm/conv2d.c),
   * `winograd_conv2d` (wasm/winograd.c), `winograd4_conv2d` (wasm/winograd-f4.c), `winograd_filter_grad` (wasm/winograd-filter-grad.c), and the four
   * batch-norm passes (wasm/batch-norm.c: statistics, affine, gradient_sums, gradient_apply), and the
   * elementwise kernels (wasm/elementwise.c) and the SGD step (wasm/sgd.c). One thread with TF.js's single-threaded module.
   */
  readonly threads: KernelThreads;
}

/** Exports of our module that `OwnKernels.threads` runs. */
const threadedKernels = [
  'conv2d_filter_grad',
  'conv2d_forward',
  'conv2d_backprop_input',
  'winograd_conv2d',
  'winograd4_conv2d',
  'winograd_filter_grad',
  'batch_norm_statistics',
  'batch_norm_affine',
  'batch_norm_gradient_sums',
  'batch_norm_gradient_apply',
  'binary_same',
  'binary_per_channel',
  'unary',
  'sgd_momentum_step',
] as const;

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

const instances = new WeakMap<WasmMemory, OwnKernels>();

/**
 * The kernels for this backend's memory (one instance per memory, made on first use), or
 * undefined when the memory cannot be found (another TF.js build): callers fall back to TF.js kernels.
 */
export function ownKernelsFor(backend: WasmBackendLike): OwnKernels | undefined {
  const module = (backend as unknown as { wasm?: EmscriptenModuleLike }).wasm;
  // The threaded module exports its memory as `wasmMemory`, the single-threaded one as `asm.memory`.
  const memory = module?.wasmMemory ?? module?.asm?.memory;
  if (!memory) return undefined;
  let kernels = instances.get(memory);
  if (!kernels) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const relaxed = wasmSimdVariant() === 'relaxed';
    const base64 = shared ? (relaxed ? sharedRelaxedModuleBase64 : sharedModuleBase64) : relaxed ? plainRelaxedModuleBase64 : plainModuleBase64;
    const bytes = Buffer.from(base64, 'base64');
    const instance = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } });
    const exports = instance.exports as Record<string, (...args: number[]) => void>;
    // Helper threads need the threaded module's shared memory (ROBUSTFAIR_WASM_THREADS, 1 in tests).
    const threads = shared ? wantedWasmThreads() : 1;
    const local = Object.fromEntries(threadedKernels.map((name) => [name, exports[name] as (...args: number[]) => void]));
    kernels = {
      transposeBatchToChannels: exports['transpose_batch_to_channels'] as OwnKernels['transposeBatchToChannels'],
      moveBatchInward: exports['move_batch_inward'] as OwnKernels['moveBatchInward'],
      interleavePhase: exports['interleave_phase'] as OwnKernels['interleavePhase'],
      conv2dPackFilter: exports['conv2d_pack_filter'] as OwnKernels['conv2dPackFilter'],
      conv2dFlipFilter: exports['conv2d_flip_filter'] as OwnKernels['conv2dFlipFilter'],
      winogradPackFilter: exports['winograd_pack_filter'] as OwnKernels['winogradPackFilter'],
      winogradPackedFloats: exports['winograd_packed_floats'] as unknown as OwnKernels['winogradPackedFloats'],
      winogradScratchFloats: exports['winograd_scratch_floats'] as unknown as OwnKernels['winogradScratchFloats'],
      winograd4PackFilter: exports['winograd4_pack_filter'] as OwnKernels['winograd4PackFilter'],
      winograd4PackedFloats: exports['winograd4_packed_floats'] as unknown as OwnKernels['winograd4PackedFloats'],
      winograd4ScratchFloats: exports['winograd4_scratch_floats'] as unknown as OwnKernels['winograd4ScratchFloats'],
      winogradFilterGradScratchFloats: exports['winograd_filter_grad_scratch_floats'] as unknown as OwnKernels['winogradFilterGradScratchFloats'],
      winogradFilterGradMFloats: exports['winograd_filter_grad_m_floats'] as unknown as OwnKernels['winogradFilterGradMFloats'],
      winogradFilterGradOutput: exports['winograd_filter_grad_output'] as OwnKernels['winogradFilterGradOutput'],
      conv2dBackpropInputPack: exports['conv2d_backprop_input_pack'] as OwnKernels['conv2dBackpropInputPack'],
      conv2dBackpropInputPackedFloats: exports['conv2d_backprop_input_packed_floats'] as unknown as OwnKernels['conv2dBackpropInputPackedFloats'],
      threads: new KernelThreads(memory, bytes, threadedKernels, local, threads),
    };
    instances.set(memory, kernels);
  }
  return kernels;
}

/** The byte offset of a tensor in the backend's memory (stable when the memory grows). */
export function heapOffset(backend: WasmBackendLike, info: tf.TensorInfo): number {
  return backend.typedArrayFromHeap(info).byteOffset;
}

