import * as tf from '@tensorflow/tfjs-core';
import { KernelScope, type WasmBackendLike } from './kernel-scope.js';

/**
 * Conv2DBackpropInput for wasm on XNNPACK. The stock wasm kernel is a scalar C++ loop
 * (~1 GFLOP/s); this one does the same FLOPs as the forward conv through XNNPACK.
 *
 * Sub-pixel decomposition: with p = y + padTop, dx[y] = Σ_{a ≡ p (mod s)} dy[(p − a)/s] · W[a].
 * For each stride phase ρ = p mod s the taps a = ρ + s·m form a sub-filter, and the phase's
 * rows q = ⌊p/s⌋ are a stride-1 convolution of dy with that sub-filter flipped (and its channel
 * axes swapped). The s_h·s_w phase results are interleaved into dx. Stride 1 is one phase.
 */
export function conv2dBackpropInputWasm(args: { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap }): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dimRoundingMode, inputShape, dataFormat } = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') throw new Error(`wasm Conv2DBackpropInput supports NHWC only, got ${dataFormat}`);
  const scope = new KernelScope(args.backend as WasmBackendLike);
  const [batch, height, width, inChannels] = inputShape;
  const [filterHeight, filterWidth, , outChannels] = filter.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
  const { strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const [, outHeight, outWidth] = dy.shape as [number, number, number, number];
  const rows = Math.ceil((top + height) / strideHeight); // phase rows q
  const columns = Math.ceil((left + width) / strideWidth);
  const usedHeight = Math.min(outHeight, rows);
  const usedWidth = Math.min(outWidth, columns);
  const gradient = usedHeight < outHeight || usedWidth < outWidth
    ? scope.run('Slice', { x: dy }, { begin: [0, 0, 0, 0], size: [batch, usedHeight, usedWidth, outChannels] })
    : dy;
  const weights = scope.read(filter).slice(); // copy: heap views die when the heap grows

  const phase = (rowPhase: number, columnPhase: number): tf.TensorInfo | undefined => {
    const tapsHigh = Math.ceil((filterHeight - rowPhase) / strideHeight);
    const tapsWide = Math.ceil((filterWidth - columnPhase) / strideWidth);
    if (tapsHigh <= 0 || tapsWide <= 0) return undefined; // no tap lands on this phase: dx is 0 there
    // Flipped sub-filter with in/out swapped: F[m, n, co, ci] = W[ρh + s_h(Mh−1−m), ρw + s_w(Mw−1−n), ci, co].
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
    const subFilter = scope.fromValues([tapsHigh, tapsWide, outChannels, inChannels], sub);
    const explicit = [
      [0, 0],
      [tapsHigh - 1, rows - usedHeight],
      [tapsWide - 1, columns - usedWidth],
      [0, 0],
    ];
    return scope.run('Conv2D', { x: gradient, filter: subFilter }, { strides: [1, 1], pad: explicit, dataFormat: 'NHWC', dilations: [1, 1] });
  };

  if (strideHeight === 1 && strideWidth === 1) {
    const single = phase(0, 0) as tf.TensorInfo; // [N, top + H, left + W, Ci]
    if (top === 0 && left === 0 && single.shape[1] === height && single.shape[2] === width) return scope.finish(single);
    return scope.finish(scope.run('Slice', { x: single }, { begin: [0, top, left, 0], size: [batch, height, width, inChannels] }));
  }

  const output = scope.output([batch, height, width, inChannels]);
  output.values.fill(0);
  for (let rowPhase = 0; rowPhase < strideHeight; rowPhase++) {
    for (let columnPhase = 0; columnPhase < strideWidth; columnPhase++) {
      const result = phase(rowPhase, columnPhase);
      if (!result) continue;
      // Fresh views after every allocation (wasm memory may have grown).
      const source = scope.read(result);
      const target = scope.read(output.info);
      for (let n = 0; n < batch; n++) {
        for (let q = 0; q < rows; q++) {
          const y = q * strideHeight + rowPhase - top;
          if (y < 0 || y >= height) continue;
          const sourceRow = (n * rows + q) * columns;
          const targetRow = (n * height + y) * width;
          for (let r = 0; r < columns; r++) {
            const x = r * strideWidth + columnPhase - left;
            if (x < 0 || x >= width) continue;
            // A plain loop: subarray()+set() per pixel allocates and is several times slower here.
            const from = (sourceRow + r) * inChannels;
            const to = (targetRow + x) * inChannels;
            for (let c = 0; c < inChannels; c++) target[to + c] = source[from + c] as number;
          }
        }
      }
      scope.backend.disposeData(result.dataId);
    }
  }
  return scope.finish(output.info);
}
