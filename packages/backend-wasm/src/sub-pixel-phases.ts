import type * as tf from '@tensorflow/tfjs-core';
import type { KernelScope } from './kernel-scope.js';
import { heapOffset, ownKernelsFor } from './own-kernels.js';

/** The geometry of an input gradient computed phase by phase (see conv2d-backprop-input.ts). */
export interface PhaseGeometry {
  readonly batch: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly top: number;
  readonly left: number;
}

/** Phase rows and columns: q = ⌊(y + top)/s⌋ must cover every output row y. */
export function phaseExtent(geometry: PhaseGeometry): { rows: number; columns: number } {
  return {
    rows: Math.ceil((geometry.top + geometry.height) / geometry.strideHeight),
    columns: Math.ceil((geometry.left + geometry.width) / geometry.strideWidth),
  };
}

/** Taps of a filter dimension that fall on phase ρ: a = ρ + s·m, m = 0 … count − 1. */
export const tapsOnPhase = (size: number, phase: number, stride: number) => Math.max(0, Math.ceil((size - phase) / stride));

/**
 * Which part of a phase's rows a phase convolution should produce: rows `dropTop …` and columns
 * `dropLeft …` of the phase grid, `rows` × `columns` of them. Stride 1 asks for dx's own window,
 * so its single phase lands on dx with no crop (a wasm Slice of the result costs as much as the conv).
 */
export interface PhaseWindow {
  readonly dropTop: number;
  readonly dropLeft: number;
  readonly rows: number;
  readonly columns: number;
}

/**
 * The explicit padding of a stride-1 phase convolution of dy ([N, usedHeight, usedWidth, ·],
 * a tapsHigh × tapsWide sub-filter) whose output is `window` of the phase grid: phase row q is
 * Σ_m dy[q − (tapsHigh − 1) + m]·F[m], so the output starts `tapsHigh − 1 − dropTop` rows before
 * dy. Undefined when the window would need negative padding (padding wider than the filter).
 */
export function phasePadding(tapsHigh: number, tapsWide: number, usedHeight: number, usedWidth: number, window: PhaseWindow): number[][] | undefined {
  const top = tapsHigh - 1 - window.dropTop;
  const left = tapsWide - 1 - window.dropLeft;
  const bottom = window.rows - usedHeight - top + tapsHigh - 1;
  const right = window.columns - usedWidth - left + tapsWide - 1;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return undefined;
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

/**
 * Interleaves per-phase results [N, rows, columns, C] into the input gradient [N, H, W, C]:
 * row q of phase ρ lands on y = q·s + ρ − top (dropped when outside [0, H)). `phase` returns
 * undefined when no tap lands on a phase (its rows stay 0), and computes the `window` it is
 * given (see phasePadding) or, when it cannot, the whole phase grid. Stride 1 is one phase whose
 * window is dx itself; only a phase that could not land on dx is cropped.
 */
export function interleavePhases(
  scope: KernelScope,
  geometry: PhaseGeometry,
  phase: (rowPhase: number, columnPhase: number, window: PhaseWindow) => tf.TensorInfo | undefined,
): tf.TensorInfo {
  const { batch, height, width, channels, strideHeight, strideWidth, top, left } = geometry;
  const { rows, columns } = phaseExtent(geometry);
  if (strideHeight === 1 && strideWidth === 1) {
    const single = phase(0, 0, { dropTop: top, dropLeft: left, rows: height, columns: width });
    if (!single) throw new Error('sub-pixel backprop: a stride-1 filter has no taps');
    if (single.shape[1] === height && single.shape[2] === width) return scope.finish(single);
    return scope.finish(scope.run('Slice', { x: single }, { begin: [0, top, left, 0], size: [batch, height, width, channels] }));
  }
  const whole: PhaseWindow = { dropTop: 0, dropLeft: 0, rows, columns };
  const output = scope.output([batch, height, width, channels]);
  output.values.fill(0);
  const kernels = ownKernelsFor(scope.backend);
  for (let rowPhase = 0; rowPhase < strideHeight; rowPhase++) {
    for (let columnPhase = 0; columnPhase < strideWidth; columnPhase++) {
      const result = phase(rowPhase, columnPhase, whole);
      if (!result) continue;
      if (kernels) {
        kernels.interleavePhase(
          heapOffset(scope.backend, result),
          heapOffset(scope.backend, output.info),
          batch,
          rows,
          columns,
          channels,
          height,
          width,
          strideHeight,
          strideWidth,
          rowPhase,
          columnPhase,
          top,
          left,
        );
      } else {
        interleaveInJs(scope.read(result), scope.read(output.info), geometry, rows, columns, rowPhase, columnPhase);
      }
      scope.backend.disposeData(result.dataId);
    }
  }
  return scope.finish(output.info);
}

/** The same as the wasm `interleave_phase`, for a backend whose memory we cannot reach. */
function interleaveInJs(source: Float32Array, target: Float32Array, geometry: PhaseGeometry, rows: number, columns: number, rowPhase: number, columnPhase: number): void {
  const { batch, height, width, channels, strideHeight, strideWidth, top, left } = geometry;
  for (let n = 0; n < batch; n++) {
    for (let q = 0; q < rows; q++) {
      const y = q * strideHeight + rowPhase - top;
      if (y < 0 || y >= height) continue;
      const sourceRow = (n * rows + q) * columns;
      const targetRow = (n * height + y) * width;
      for (let r = 0; r < columns; r++) {
        const x = r * strideWidth + columnPhase - left;
        if (x < 0 || x >= width) continue;
        const from = (sourceRow + r) * channels;
        const to = (targetRow + x) * channels;
        for (let c = 0; c < channels; c++) target[to + c] = source[from + c] as number;
      }
    }
  }
}
