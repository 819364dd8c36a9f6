import * as tf from '@tensorflow/tfjs-core';
import { KernelScope, type WasmBackendLike } from './kernel-scope.js';
import { interleavePhases, phaseExtent, phasePadding, tapsOnPhase, type PhaseWindow } from './sub-pixel-phases.js';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs: tf.NamedAttrMap };

function assertUnitDilation(dilations: number | [number, number] | undefined, kernel: string): void {
  const [height, width] = typeof dilations === 'number' ? [dilations, dilations] : (dilations ?? [1, 1]);
  if (height !== 1 || width !== 1) throw new Error(`wasm ${kernel}: dilations other than 1 are not supported, got ${String(dilations)}`);
}

/**
 * DepthwiseConv2dNativeBackpropInput for wasm (missing; MobileNetV2 needs it for training and
 * attacks). The sub-pixel phases of conv2d-backprop-input.ts with a depthwise convolution per
 * phase (XNNPACK): filter [kh, kw, C, m] → per phase a flipped [Mh, Mw, C·m, 1] filter over dy's
 * C·m channels, then the m outputs of each input channel are summed.
 */
export function depthwiseConv2dBackpropInputWasm(args: KernelArgs): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dimRoundingMode, inputShape, dilations } = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  assertUnitDilation(dilations, 'DepthwiseConv2dNativeBackpropInput');
  const scope = new KernelScope(args.backend as WasmBackendLike);
  const [batch, height, width, channels] = inputShape;
  const [filterHeight, filterWidth, , multiplier] = filter.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, true);
  const { strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const geometry = { batch, height, width, channels, strideHeight, strideWidth, top, left };
  const { rows, columns } = phaseExtent(geometry);
  const [, outHeight, outWidth, outChannels] = dy.shape as [number, number, number, number];
  const usedHeight = Math.min(outHeight, rows);
  const usedWidth = Math.min(outWidth, columns);
  const gradient =
    usedHeight < outHeight || usedWidth < outWidth
      ? scope.run('Slice', { x: dy }, { begin: [0, 0, 0, 0], size: [batch, usedHeight, usedWidth, outChannels] })
      : dy;
  const weights = scope.read(filter).slice();

  const phase = (rowPhase: number, columnPhase: number, window: PhaseWindow): tf.TensorInfo | undefined => {
    const tapsHigh = tapsOnPhase(filterHeight, rowPhase, strideHeight);
    const tapsWide = tapsOnPhase(filterWidth, columnPhase, strideWidth);
    if (tapsHigh === 0 || tapsWide === 0) return undefined;
    // F[m, n, c·M + q, 0] = W[ρh + s_h(Mh−1−m), ρw + s_w(Mw−1−n), c, q]: W's flat [kh, kw, C, M] order per tap.
    const sub = new Float32Array(tapsHigh * tapsWide * outChannels);
    for (let m = 0; m < tapsHigh; m++) {
      const a = rowPhase + strideHeight * (tapsHigh - 1 - m);
      for (let n = 0; n < tapsWide; n++) {
        const b = columnPhase + strideWidth * (tapsWide - 1 - n);
        const from = (a * filterWidth + b) * outChannels;
        sub.set(weights.subarray(from, from + outChannels), (m * tapsWide + n) * outChannels);
      }
    }
    const subFilter = scope.fromValues([tapsHigh, tapsWide, outChannels, 1], sub);
    const whole = { dropTop: 0, dropLeft: 0, rows, columns };
    const explicit = phasePadding(tapsHigh, tapsWide, usedHeight, usedWidth, window) ?? (phasePadding(tapsHigh, tapsWide, usedHeight, usedWidth, whole) as number[][]);
    const perOutputChannel = scope.run(
      'DepthwiseConv2dNative',
      { x: gradient, filter: subFilter },
      { strides: [1, 1], pad: explicit, dilations: [1, 1], dimRoundingMode: undefined },
    );
    if (multiplier === 1) return perOutputChannel;
    const [, resultRows, resultColumns] = perOutputChannel.shape as [number, number, number, number];
    const grouped = scope.run('Reshape', { x: perOutputChannel }, { shape: [batch, resultRows, resultColumns, channels, multiplier] });
    return scope.run('Sum', { x: grouped }, { axis: [4], keepDims: false });
  };

  return interleavePhases(scope, geometry, phase);
}

/**
 * DepthwiseConv2dNativeBackpropFilter for wasm (missing). dW[a, b, c, q] =
 * Σ_{n,i,j} x[n, i·s + a − top, j·s + b − left, c] · dy[n, i, j, c·m + q]: a plain loop over the
 * heap with the channel axis innermost (contiguous in NHWC). Depthwise FLOPs are a small share
 * of a MobileNetV2 step, so no XNNPACK formulation is needed here.
 */
export function depthwiseConv2dBackpropFilterWasm(args: KernelArgs): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dimRoundingMode, filterShape, dilations } = args.attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  assertUnitDilation(dilations, 'DepthwiseConv2dNativeBackpropFilter');
  const scope = new KernelScope(args.backend as WasmBackendLike);
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, true);
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const [filterHeight, filterWidth, , multiplier] = filterShape;
  const { strideHeight, strideWidth, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;
  const outChannels = channels * multiplier;
  const output = scope.output([filterHeight, filterWidth, channels, multiplier]);
  const result = new Float64Array(filterHeight * filterWidth * outChannels); // sums in double precision
  const input = scope.read(x);
  const gradient = scope.read(dy);
  for (let n = 0; n < batch; n++) {
    for (let i = 0; i < outHeight; i++) {
      for (let j = 0; j < outWidth; j++) {
        const dyBase = ((n * outHeight + i) * outWidth + j) * outChannels;
        for (let a = 0; a < filterHeight; a++) {
          const y = i * strideHeight + a - top;
          if (y < 0 || y >= height) continue;
          for (let b = 0; b < filterWidth; b++) {
            const column = j * strideWidth + b - left;
            if (column < 0 || column >= width) continue;
            const xBase = ((n * height + y) * width + column) * channels;
            const wBase = (a * filterWidth + b) * outChannels;
            for (let c = 0; c < channels; c++) {
              const value = input[xBase + c] as number;
              for (let q = 0; q < multiplier; q++) {
                const k = c * multiplier + q;
                result[wBase + k] = (result[wBase + k] as number) + value * (gradient[dyBase + k] as number);
              }
            }
          }
        }
      }
    }
  }
  scope.read(output.info).set(result);
  return scope.finish(output.info);
}
