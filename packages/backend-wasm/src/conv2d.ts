import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './kernel-scope.js';
import { CONV_MACS_PER_THREAD, splitRange } from './kernel-threads.js';
import { heapOffset, ownKernelsFor, type OwnKernels } from './own-kernels.js';
import { runStockKernel } from './stock-kernels.js';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

/**
 * Whether the weight gradient of a convolution runs Winograd F(3×3, 2×2)
 * (wasm/winograd-filter-grad.c): 3×3 stride-1 convolutions with at least 8 input and 8 output
 * channels.
 */
export function useWinogradFilterGradient(filterHeight: number, filterWidth: number, strideHeight: number, strideWidth: number, inChannels: number, outChannels: number): boolean {
  return filterHeight === 3 && filterWidth === 3 && strideHeight === 1 && strideWidth === 1 && inChannels >= 8 && outChannels >= 8;
}

/** The geometry `runWinograd` needs (NHWC, 3×3, stride 1; any top/left padding ≥ 0). */
export interface WinogradGeometry {
  readonly batch: number;
  readonly height: number;
  readonly width: number;
  readonly inChannels: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly outChannels: number;
  readonly top: number;
  readonly left: number;
}

/** Which Winograd kernel runs: F(2×2, 3×3) (wasm/winograd.c) or F(4×4, 3×3) (wasm/winograd-f4.c). */
export type WinogradTile = 2 | 4;

/**
 * The Winograd kernel for a convolution's forward pass or stride-1 input gradient (a convolution
 * of dy with the flipped filter), or undefined for the direct kernel. 3×3 stride 1, at least 8
 * channels summed (with fewer the transforms cost more than they save), and then:
 * - F(4×4, 3×3) (4× fewer multiplies than direct) for outputs of at least 8×8 summing at most 128
 *   channels, with any number of output channels: there it was measured both faster than
 *   F(2×2, 3×3) and within our forward tolerance of the cpu backend (max error ≤ 1e-5 of the
 *   largest output: ~5e-6 at 32-128 channels, 1.3e-5 at 256); on 4×4 maps one tile's 6×6 window
 *   is mostly padding and it ran no faster. The 3-channel input gradient of a stem (32 → 3) ran
 *   2.3-3.4× faster than on the direct kernel, which fills 3 of its 8 output lanes.
 * - F(2×2, 3×3) (2.25× fewer) for the other layers with at least 8 output channels, measured 1.1-2×
 *   faster than the direct kernel from 8 to 512 channels.
 * docs/performance.md and ADR 0013 have the measurements.
 */
export function winogradTile(filterHeight: number, filterWidth: number, strideHeight: number, strideWidth: number, inChannels: number, outChannels: number, outHeight: number, outWidth: number): WinogradTile | undefined {
  if (filterHeight !== 3 || filterWidth !== 3 || strideHeight !== 1 || strideWidth !== 1 || inChannels < 8) return undefined;
  if (inChannels <= 128 && outHeight >= 8 && outWidth >= 8) return 4;
  return outChannels >= 8 ? 2 : undefined;
}

/** y = x ⊛ filter (HWIO, 3×3) by Winograd with 2×2 or 4×4 output tiles, split by images over our helper threads. */
export function runWinograd(kernels: OwnKernels, backend: WasmBackendLike, x: tf.TensorInfo, filter: tf.TensorInfo, y: tf.TensorInfo, geometry: WinogradGeometry, tile: WinogradTile): void {
  const { batch, height, width, inChannels, outHeight, outWidth, outChannels, top, left } = geometry;
  const kernel =
    tile === 4
      ? { name: 'winograd4_conv2d', pack: kernels.winograd4PackFilter, packedFloats: kernels.winograd4PackedFloats, scratchFloats: kernels.winograd4ScratchFloats }
      : { name: 'winograd_conv2d', pack: kernels.winogradPackFilter, packedFloats: kernels.winogradPackedFloats, scratchFloats: kernels.winogradScratchFloats };
  const packed = backend.makeOutput([kernel.packedFloats(inChannels, outChannels)], 'float32');
  kernel.pack(heapOffset(backend, filter), heapOffset(backend, packed), inChannels, outChannels);
  const images = splitRange(kernels.threads.threadsFor(batch * outHeight * outWidth * outChannels * 9 * inChannels, CONV_MACS_PER_THREAD), batch);
  const scratchSize = kernel.scratchFloats(height, width, inChannels, outChannels);
  const scratch = backend.makeOutput([images.length * scratchSize], 'float32');
  kernels.threads.run(
    kernel.name,
    images.map(([begin, end], thread) => [
      heapOffset(backend, x),
      heapOffset(backend, packed),
      heapOffset(backend, y),
      heapOffset(backend, scratch) + thread * scratchSize * 4,
      begin,
      end,
      height,
      width,
      inChannels,
      outHeight,
      outWidth,
      outChannels,
      top,
      left,
    ]),
  );
  backend.disposeData(packed.dataId);
  backend.disposeData(scratch.dataId);
}

/**
 * Conv2D for wasm on our own kernels: Winograd for 3×3 stride-1 convolutions (see winogradTile),
 * else the direct kernel (wasm/conv2d.c, ~1.5× XNNPACK's speed per thread on V8), split by images
 * over our helper threads. Dilated, non-NHWC or non-float32 convolutions,
 * and a TF.js build whose memory we cannot reach, go to TF.js's own kernel.
 */
export function conv2dWasm(args: KernelArgs): tf.TensorInfo {
  const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as tf.Conv2DAttrs;
  const backend = args.backend as WasmBackendLike;
  const kernels = ownKernelsFor(backend);
  const dilated = dilations !== undefined && (typeof dilations === 'number' ? dilations !== 1 : dilations.some((d) => d !== 1));
  if (!kernels || dilated || (dataFormat !== undefined && dataFormat !== 'NHWC') || x.dtype !== 'float32' || filter.dtype !== 'float32') {
    return runStockKernel(tf.Conv2D, args) as tf.TensorInfo;
  }
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
  const [batch, height, width, inChannels] = x.shape as [number, number, number, number];
  const { filterHeight, filterWidth, strideHeight, strideWidth, outHeight, outWidth, outChannels } = info;
  const { top, left } = info.padInfo;
  const y = backend.makeOutput([batch, outHeight, outWidth, outChannels], 'float32');
  if (batch * outHeight * outWidth * outChannels === 0) return y;
  const tile = winogradTile(filterHeight, filterWidth, strideHeight, strideWidth, inChannels, outChannels, outHeight, outWidth);
  if (tile) {
    runWinograd(kernels, backend, x, filter, y, { batch, height, width, inChannels, outHeight, outWidth, outChannels, top, left }, tile);
    return y;
  }
  const tapsIn = filterHeight * filterWidth * inChannels;
  const packed = backend.makeOutput([Math.ceil(outChannels / 8) * 8 * tapsIn], 'float32');
  kernels.conv2dPackFilter(heapOffset(backend, filter), heapOffset(backend, packed), tapsIn, outChannels);
  // Padded image rows/columns the windows cover; x is read in place when it already covers them.
  const paddedHeight = (outHeight - 1) * strideHeight + filterHeight;
  const paddedWidth = (outWidth - 1) * strideWidth + filterWidth;
  const needsPadding = top > 0 || left > 0 || paddedHeight > height || paddedWidth > width;
  const images = splitRange(kernels.threads.threadsFor(batch * outHeight * outWidth * outChannels * tapsIn, CONV_MACS_PER_THREAD), batch);
  const imageSize = paddedHeight * paddedWidth * inChannels;
  const scratch = needsPadding ? backend.makeOutput([images.length * imageSize], 'float32') : undefined;
  const shape = [height, width, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth, top, left];
  const lists = images.map(([begin, end], thread) => [
    heapOffset(backend, x),
    heapOffset(backend, packed),
    heapOffset(backend, y),
    scratch ? heapOffset(backend, scratch) + thread * imageSize * 4 : 0,
    begin,
    end,
    ...shape,
  ]);
  kernels.threads.run('conv2d_forward', lists);
  backend.disposeData(packed.dataId);
  if (scratch) backend.disposeData(scratch.dataId);
  return y;
}
