import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { KernelScope, type WasmBackendLike } from './kernel-scope.js';
import { batchInward, batchToChannels } from './layout-kernels.js';
import { ownKernelsFor } from './own-kernels.js';

const onWasm = () => tf.getBackend() === 'wasm';

/** Runs a layout change as a kernel would, and returns the values of its result. */
function relayout(change: typeof batchToChannels, x: tf.Tensor4D): { shape: number[]; values: number[] } {
  const backend = tf.backend() as WasmBackendLike;
  const scope = new KernelScope(backend);
  const result = change(scope, { dataId: x.dataId, shape: x.shape, dtype: x.dtype });
  const values = Array.from(scope.read(result));
  const shape = [...result.shape];
  scope.finish(result);
  backend.disposeData(result.dataId);
  return { shape, values };
}

// Sizes around the 4×4 SIMD blocks: multiples of 4, remainders in N and in C, single elements.
const shapes: [number, number, number, number][] = [
  [8, 2, 3, 8],
  [9, 3, 2, 7],
  [5, 1, 1, 6],
  [3, 2, 2, 3],
  [1, 1, 1, 1],
  [12, 4, 4, 13],
];

describe('our WebAssembly layout kernels (wasm/layout-kernels.c)', () => {
  it.skipIf(!onWasm())('are instantiated on the wasm backend memory', () => {
    expect(ownKernelsFor(tf.backend() as WasmBackendLike)).toBeDefined();
  });

  for (const shape of shapes) {
    it.skipIf(!onWasm())(`move every element where the index rules say, [${shape.join(', ')}]`, () => {
      const [n, h, w, c] = shape;
      const x = tf.tensor4d(Float32Array.from({ length: n * h * w * c }, (_, index) => index + 0.5), shape);
      const source = x.dataSync();
      const pixels = h * w;
      const toChannels = relayout(batchToChannels, x);
      expect(toChannels.shape).toEqual([c, h, w, n]);
      const inward = relayout(batchInward, x);
      expect(inward.shape).toEqual([h, w, n, c]);
      for (let b = 0; b < n; b++) {
        for (let p = 0; p < pixels; p++) {
          for (let k = 0; k < c; k++) {
            const value = source[(b * pixels + p) * c + k];
            expect(toChannels.values[(k * pixels + p) * n + b]).toBe(value);
            expect(inward.values[(p * n + b) * c + k]).toBe(value);
          }
        }
      }
      x.dispose();
    });
  }

});
