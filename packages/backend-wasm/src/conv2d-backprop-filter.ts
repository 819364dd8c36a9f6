import * as tf from '@tensorflow/tfjs-core';
import { KernelScope, type WasmBackendLike } from './kernel-scope.js';
import { batchInward, batchToChannels } from './layout-kernels.js';
import { useWinogradFilterGradient, type WinogradGeometry } from './conv2d.js';
import { CONV_MACS_PER_THREAD, splitRange } from './kernel-threads.js';
import { heapOffset, ownKernelsFor, type OwnKernels } from './own-kernels.js';

/**
 * Conv2DBackpropFilter for wasm, which has none (tfjs #8474): without it no conv net trains.
 * Our own kernels when they apply: Winograd F(3×3, 2×2) for 3×3 stride-1 layers (see useWinogradFilterGradient), else the
 * direct kernel (wasm/conv2d-filter-grad.c), which reads x and dy in place; both split over our
 * helper threads, ~4-8× faster than the XNNPACK route below, which remains for output channels
 * that are not a multiple of 4 and for a TF.js build whose memory we cannot reach.
 */
export function conv2dBackpropFilterWasm(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo {
  const { dataFormat } = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') throw new Error(`wasm Conv2DBackpropFilter supports NHWC only, got ${dataFormat}`);
  return ownConv2dBackpropFilter(args) ?? conv2dBackpropFilterByConv(args);
}

/** The units of work conv2d_filter_grad splits (one per tap × block of 4 input × 8 output channels). */
export function filterGradUnits(filterHeight: number, filterWidth: number, inChannels: number, outChannels: number): number {
  return filterHeight * filterWidth * Math.ceil(inChannels / 4) * Math.ceil(outChannels / 8);
}

function ownConv2dBackpropFilter(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo | undefined {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dimRoundingMode, filterShape } = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const backend = args.backend as WasmBackendLike;
  const kernels = ownKernelsFor(backend);
  const outChannels = filterShape[3];
  if (!kernels || x.dtype !== 'float32' || dy.dtype !== 'float32') return undefined;
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  const [batch, height, width, inChannels] = x.shape as [number, number, number, number];
  const { filterHeight, filterWidth, strideHeight, strideWidth, outHeight, outWidth } = info;
  const makeOutput = () => backend.makeOutput([filterHeight, filterWidth, inChannels, outChannels], 'float32');
  if (useWinogradFilterGradient(filterHeight, filterWidth, strideHeight, strideWidth, inChannels, outChannels)) {
    const output = makeOutput();
    winogradFilterGradient(kernels, backend, x, dy, output, { batch, height, width, inChannels, outHeight, outWidth, outChannels, top: info.padInfo.top, left: info.padInfo.left });
    return output;
  }
  if (outChannels % 4 !== 0) return undefined; // the direct kernel stores 4 output channels at a time
  const output = makeOutput();
  const units = filterGradUnits(filterHeight, filterWidth, inChannels, outChannels);
  const shared = [batch, height, width, inChannels, outHeight, outWidth, outChannels, filterWidth, strideHeight, strideWidth, info.padInfo.top, info.padInfo.left];
  const pointers = [heapOffset(backend, x), heapOffset(backend, dy), heapOffset(backend, output)];
  const macs = batch * outHeight * outWidth * outChannels * filterHeight * filterWidth * inChannels;
  const lists = splitRange(kernels.threads.threadsFor(macs, CONV_MACS_PER_THREAD), units).map(([begin, end]) => [...pointers, begin, end, ...shared]);
  kernels.threads.run('conv2d_filter_grad', lists);
  return output;
}

/**
 * The weight gradient of a 3×3 stride-1 convolution by Winograd F(3×3, 2×2)
 * (wasm/winograd-filter-grad.c): the threads take disjoint ranges of the 16 transformed-domain
 * points, each summing over every tile in one fixed order (bit-identical for any split), then one
 * call transforms the sums back to dw.
 */
function winogradFilterGradient(kernels: OwnKernels, backend: WasmBackendLike, x: tf.TensorInfo, dy: tf.TensorInfo, dw: tf.TensorInfo, geometry: WinogradGeometry): void {
  const { batch, height, width, inChannels, outHeight, outWidth, outChannels, top, left } = geometry;
  const sums = backend.makeOutput([kernels.winogradFilterGradMFloats(inChannels, outChannels)], 'float32');
  const scratchSize = kernels.winogradFilterGradScratchFloats(inChannels, outChannels);
  const points = splitRange(kernels.threads.threadsFor(batch * outHeight * outWidth * outChannels * 9 * inChannels, CONV_MACS_PER_THREAD), 16);
  const scratch = backend.makeOutput([points.length * scratchSize], 'float32');
  kernels.threads.run(
    'winograd_filter_grad',
    points.map(([begin, end], thread) => [
      heapOffset(backend, x),
      heapOffset(backend, dy),
      heapOffset(backend, scratch) + thread * scratchSize * 4,
      begin,
      end,
      batch,
      height,
      width,
      inChannels,
      outHeight,
      outWidth,
      outChannels,
      top,
      left,
      heapOffset(backend, sums),
    ]),
  );
  kernels.winogradFilterGradOutput(heapOffset(backend, sums), heapOffset(backend, dw), inChannels, outChannels);
  backend.disposeData(sums.dataId);
  backend.disposeData(scratch.dataId);
}

/**
 * The XNNPACK route: dW[a, b, ci, co] = Σ_{n,i,j} x[n, i·s + a − padTop, j·s + b − padLeft, ci] · dy[n, i, j, co]
 * is itself a convolution: input x transposed to [Ci, H, W, N] (batch = Ci, channels = N),
 * filter dy transposed to [Ho, Wo, N, Co], stride 1, dilation = the forward stride, the forward
 * top/left padding, and a bottom/right padding (or crop) that makes the output kh × kw. The
 * result [Ci, kh, kw, Co] is transposed to [kh, kw, Ci, Co]. The conv runs in XNNPACK, the layout
 * changes in our own SIMD kernels (layout-kernels.ts; TF.js's Transpose took a third of the time).
 */
export function conv2dBackpropFilterByConv(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dimRoundingMode, filterShape } = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const scope = new KernelScope(args.backend as WasmBackendLike);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const [, height, width, inChannels] = x.shape as [number, number, number, number];
  const { filterHeight, filterWidth, strideHeight, strideWidth, outHeight, outWidth, outChannels } = info;
  const { top, left } = info.padInfo;
  // Rows the dilated "filter" (dy) spans; the input must cover [−top, needed − top).
  const neededHeight = filterHeight + (outHeight - 1) * strideHeight;
  const neededWidth = filterWidth + (outWidth - 1) * strideWidth;
  let input = batchToChannels(scope, x); // [Ci, H, W, N]
  const bottom = neededHeight - height - top;
  const right = neededWidth - width - left;
  if (bottom < 0 || right < 0) {
    // The forward pass never read these trailing rows/columns: crop instead of negative padding.
    const keepHeight = Math.min(height, height + bottom);
    const keepWidth = Math.min(width, width + right);
    input = scope.run('Slice', { x: input }, { begin: [0, 0, 0, 0], size: [inChannels, keepHeight, keepWidth, x.shape[0]] });
  }
  const filter = batchInward(scope, dy); // [Ho, Wo, N, Co]
  const explicit = [
    [0, 0],
    [top, Math.max(0, bottom)],
    [left, Math.max(0, right)],
    [0, 0],
  ];
  const product = scope.run(
    'Conv2D',
    { x: input, filter },
    { strides: [1, 1], pad: explicit, dataFormat: 'NHWC', dilations: [strideHeight, strideWidth], dimRoundingMode: undefined },
  ); // [Ci, kh, kw, Co]
  if (product.shape[1] !== filterHeight || product.shape[2] !== filterWidth || product.shape[3] !== outChannels) {
    throw new Error(`wasm Conv2DBackpropFilter: internal shape [${product.shape.join(', ')}] does not match the filter ${filterShape.join('x')}`);
  }
  return scope.finish(batchInward(scope, product)); // [kh, kw, Ci, Co]
}
