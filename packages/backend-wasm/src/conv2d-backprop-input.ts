import * as tf from '@tensorflow/tfjs-core';
import { KernelScope, type WasmBackendLike } from './kernel-scope.js';
import { runWinograd, winogradTile } from './conv2d.js';
import { CONV_MACS_PER_THREAD, splitRange } from './kernel-threads.js';
import { heapOffset, ownKernelsFor } from './own-kernels.js';
import { interleavePhases, phaseExtent, phasePadding, tapsOnPhase, type PhaseWindow } from './sub-pixel-phases.js';

/**
 * Conv2DBackpropInput for wasm on XNNPACK. The stock wasm kernel is a scalar C++ loop
 * (~1 GFLOP/s); this one does the same FLOPs as the forward conv through XNNPACK.
 *
 * Sub-pixel decomposition: with p = y + padTop, dx[y] = Σ_{a ≡ p (mod s)} dy[(p − a)/s] · W[a].
 * For each stride phase ρ = p mod s the taps a = ρ + s·m form a sub-filter, and the phase's
 * rows q = ⌊p/s⌋ are a stride-1 convolution of dy with that sub-filter flipped (and its channel
 * axes swapped). The s_h·s_w phase results are interleaved into dx. Stride 1 is one phase, padded
 * so that it lands on dx directly (sub-pixel-phases.ts, phasePadding).
 */
export function conv2dBackpropInputWasm(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo {
  const { dataFormat } = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') throw new Error(`wasm Conv2DBackpropInput supports NHWC only, got ${dataFormat}`);
  return ownConv2dBackpropInput(args) ?? conv2dBackpropInputByPhases(args);
}

/** The inputs and geometry both routes read from a Conv2DBackpropInput call. */
function geometryOf(args: { inputs: tf.NamedTensorInfoMap; attrs: tf.NamedAttrMap }) {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dimRoundingMode, inputShape } = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const [batch, height, width, inChannels] = inputShape;
  const [filterHeight, filterWidth, , outChannels] = filter.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
  const [, outHeight, outWidth] = dy.shape as [number, number, number, number];
  const { strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  return { dy, filter, inputShape, batch, height, width, inChannels, filterHeight, filterWidth, outChannels, strideHeight, strideWidth, top, left, outHeight, outWidth };
}

/**
 * Our own kernel (wasm/conv2d.c, `conv2d_backprop_input`): the same phases, computed with the
 * forward conv's tiles straight into dx (dy padded once per image, no per-phase tensors, no
 * interleave pass), split by images over our helper threads.
 */
function ownConv2dBackpropInput(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo | undefined {
  const backend = args.backend as WasmBackendLike;
  const kernels = ownKernelsFor(backend);
  const { dy, filter, inputShape, batch, height, width, inChannels, filterHeight, filterWidth, outChannels, strideHeight, strideWidth, top, left, outHeight, outWidth } = geometryOf(args);
  if (!kernels || dy.dtype !== 'float32' || filter.dtype !== 'float32') return undefined;
  const dx = backend.makeOutput([...inputShape], 'float32');
  if (batch * height * width * inChannels === 0) return dx;
  // Stride 1 is one convolution of dy with the flipped, channel-swapped filter, padded by
  // filter − 1 − top rows (left alike) so it lands on dx: Winograd when it applies.
  const flippedTop = filterHeight - 1 - top;
  const flippedLeft = filterWidth - 1 - left;
  const tile = winogradTile(filterHeight, filterWidth, strideHeight, strideWidth, outChannels, inChannels, height, width);
  if (tile && flippedTop >= 0 && flippedLeft >= 0) {
    const flipped = backend.makeOutput([filterHeight, filterWidth, outChannels, inChannels], 'float32');
    kernels.conv2dFlipFilter(heapOffset(backend, filter), heapOffset(backend, flipped), filterHeight, filterWidth, inChannels, outChannels);
    runWinograd(kernels, backend, dy, flipped, dx, { batch, height: outHeight, width: outWidth, inChannels: outChannels, outHeight: height, outWidth: width, outChannels: inChannels, top: flippedTop, left: flippedLeft }, tile);
    backend.disposeData(flipped.dataId);
    return dx;
  }
  const packed = backend.makeOutput([kernels.conv2dBackpropInputPackedFloats(filterHeight, filterWidth, inChannels, outChannels, strideHeight, strideWidth)], 'float32');
  kernels.conv2dBackpropInputPack(heapOffset(backend, filter), heapOffset(backend, packed), filterHeight, filterWidth, inChannels, outChannels, strideHeight, strideWidth);
  // One padded dy image per thread: the phase grid plus the largest phase's taps − 1 on top/left.
  const { rows, columns } = phaseExtent({ batch, height, width, channels: inChannels, strideHeight, strideWidth, top, left });
  const imageSize = (tapsOnPhase(filterHeight, 0, strideHeight) - 1 + rows) * (tapsOnPhase(filterWidth, 0, strideWidth) - 1 + columns) * outChannels;
  const macs = batch * outHeight * outWidth * outChannels * filterHeight * filterWidth * inChannels;
  const images = splitRange(kernels.threads.threadsFor(macs, CONV_MACS_PER_THREAD), batch);
  const scratch = backend.makeOutput([images.length * imageSize], 'float32');
  const shape = [height, width, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth, top, left];
  kernels.threads.run(
    'conv2d_backprop_input',
    images.map(([begin, end], thread) => [
      heapOffset(backend, dy),
      heapOffset(backend, packed),
      heapOffset(backend, dx),
      heapOffset(backend, scratch) + thread * imageSize * 4,
      begin,
      end,
      ...shape,
    ]),
  );
  backend.disposeData(packed.dataId);
  backend.disposeData(scratch.dataId);
  return dx;
}

/** The route through registered Conv2D kernels (a TF.js build whose memory we cannot reach). */
export function conv2dBackpropInputByPhases(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo {
  const scope = new KernelScope(args.backend as WasmBackendLike);
  const { dy, filter, batch, height, width, inChannels, filterHeight, filterWidth, outChannels, strideHeight, strideWidth, top, left, outHeight, outWidth } = geometryOf(args);
  const { rows, columns } = phaseExtent({ batch, height, width, channels: inChannels, strideHeight, strideWidth, top, left });
  const usedHeight = Math.min(outHeight, rows);
  const usedWidth = Math.min(outWidth, columns);
  const weights = scope.read(filter).slice(); // copy: heap views die when the heap grows
  // Flipped sub-filter with in/out swapped: F[m, n, co, ci] = W[ρh + s_h(Mh−1−m), ρw + s_w(Mw−1−n), ci, co].
  const subFilter = (rowPhase: number, columnPhase: number, tapsHigh: number, tapsWide: number): tf.TensorInfo => {
    const shape = [tapsHigh, tapsWide, outChannels, inChannels];
    const sub = new Float32Array(tapsHigh * tapsWide * outChannels * inChannels);
    let index = 0;
    for (let m = 0; m < tapsHigh; m++) {
      const a = rowPhase + strideHeight * (tapsHigh - 1 - m);
      for (let n = 0; n < tapsWide; n++) {
        const b = columnPhase + strideWidth * (tapsWide - 1 - n);
        const base = (a * filterWidth + b) * inChannels * outChannels;
        for (let co = 0; co < outChannels; co++) {
          for (let ci = 0; ci < inChannels; ci++) sub[index++] = weights[base + ci * outChannels + co] as number;
        }
      }
    }
    return scope.fromValues(shape, sub);
  };

  const gradient = usedHeight < outHeight || usedWidth < outWidth
    ? scope.run('Slice', { x: dy }, { begin: [0, 0, 0, 0], size: [batch, usedHeight, usedWidth, outChannels] })
    : dy;
  const phase = (rowPhase: number, columnPhase: number, window: PhaseWindow): tf.TensorInfo | undefined => {
    const tapsHigh = tapsOnPhase(filterHeight, rowPhase, strideHeight);
    const tapsWide = tapsOnPhase(filterWidth, columnPhase, strideWidth);
    if (tapsHigh <= 0 || tapsWide <= 0) return undefined; // no tap lands on this phase: dx is 0 there
    const whole = { dropTop: 0, dropLeft: 0, rows, columns };
    const explicit = phasePadding(tapsHigh, tapsWide, usedHeight, usedWidth, window) ?? (phasePadding(tapsHigh, tapsWide, usedHeight, usedWidth, whole) as number[][]);
    return scope.run('Conv2D', { x: gradient, filter: subFilter(rowPhase, columnPhase, tapsHigh, tapsWide) }, { strides: [1, 1], pad: explicit, dataFormat: 'NHWC', dilations: [1, 1] });
  };

  return interleavePhases(scope, { batch, height, width, channels: inChannels, strideHeight, strideWidth, top, left }, phase);
}
