import { afterAll, describe, expect, it } from 'vitest';
import { createSeededRandom } from '@robustfair/core';
import { filterGradUnits } from './conv2d-backprop-filter.js';
import { KernelThreads } from './kernel-threads.js';
import { sharedModuleBase64 } from './own-kernels.generated.js';

// Our helper threads, on a shared memory of our own (no TF.js): a split run must give exactly the
// bits of a one-thread run, and both must match a plain JS reference of the weight gradient.
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => { buffer: SharedArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, (...args: number[]) => void> };
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const bytes = Buffer.from(sharedModuleBase64, 'base64');
const memory = new wasmApi.Memory({ initial: 64, maximum: 1024, shared: true });
const exports = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } }).exports;
const local = { conv2d_filter_grad: exports['conv2d_filter_grad'] as (...args: number[]) => void };
const pool = new KernelThreads(memory, bytes, ['conv2d_filter_grad'], local, 2);
afterAll(() => pool.dispose());

// x [3, 9, 7, 6], dy [3, 5, 4, 12] (3x3 filter, stride 2, 'same': top 1, left 1 → output 5 x 4).
const [batch, height, width, inChannels, outHeight, outWidth, outChannels, filterSize, stride, top, left] = [3, 9, 7, 6, 5, 4, 12, 3, 2, 1, 1];
const heap = new Float32Array(memory.buffer);
const xAt = 256;
const dyAt = xAt + batch * height * width * inChannels * 4;
const filterSizeAll = filterSize * filterSize * inChannels * outChannels;
const random = createSeededRandom(7);
for (let index = xAt / 4; index < dyAt / 4 + batch * outHeight * outWidth * outChannels; index++) heap[index] = random.float() * 2 - 1;
const dwAt = (slot: number) => dyAt + batch * outHeight * outWidth * outChannels * 4 + slot * filterSizeAll * 4;
const units = filterGradUnits(filterSize, filterSize, inChannels, outChannels);
const shape = [batch, height, width, inChannels, outHeight, outWidth, outChannels, filterSize, stride, stride, top, left];
const list = (dw: number, begin: number, end: number) => [xAt, dyAt, dw, begin, end, ...shape];

function reference(): Float64Array {
  const dw = new Float64Array(filterSizeAll);
  for (let a = 0; a < filterSize; a++)
    for (let b = 0; b < filterSize; b++)
      for (let ci = 0; ci < inChannels; ci++)
        for (let co = 0; co < outChannels; co++) {
          let sum = 0;
          for (let n = 0; n < batch; n++)
            for (let i = 0; i < outHeight; i++)
              for (let j = 0; j < outWidth; j++) {
                const row = i * stride + a - top;
                const column = j * stride + b - left;
                if (row < 0 || row >= height || column < 0 || column >= width) continue;
                sum += (heap[xAt / 4 + ((n * height + row) * width + column) * inChannels + ci] as number) * (heap[dyAt / 4 + ((n * outHeight + i) * outWidth + j) * outChannels + co] as number);
              }
          dw[((a * filterSize + b) * inChannels + ci) * outChannels + co] = sum;
        }
  return dw;
}

describe('KernelThreads', () => {
  it('splits conv2d_filter_grad over a helper thread with the same bits as one thread, matching a JS reference', async () => {
    await pool.ready();
    expect(pool.readyHelpers()).toBe(1);
    heap.fill(Number.NaN, dwAt(0) / 4, dwAt(2) / 4); // every element must be written
    pool.run('conv2d_filter_grad', [list(dwAt(0), 0, units)]);
    const half = Math.floor(units / 2);
    pool.run('conv2d_filter_grad', [list(dwAt(1), 0, half), list(dwAt(1), half, units)]);
    const single = heap.slice(dwAt(0) / 4, dwAt(1) / 4);
    const split = heap.slice(dwAt(1) / 4, dwAt(2) / 4);
    expect(Array.from(split)).toEqual(Array.from(single));
    const expected = reference();
    let worst = 0;
    expected.forEach((value, index) => (worst = Math.max(worst, Math.abs(value - (single[index] as number)))));
    expect(worst).toBeLessThan(1e-5);
  });

  it('runs the lists it has no ready helper for on the calling thread', () => {
    heap.fill(Number.NaN, dwAt(0) / 4, dwAt(1) / 4);
    const third = Math.floor(units / 3);
    // three lists, one helper: the third runs here
    pool.run('conv2d_filter_grad', [list(dwAt(0), 0, third), list(dwAt(0), third, 2 * third), list(dwAt(0), 2 * third, units)]);
    const values = heap.slice(dwAt(0) / 4, dwAt(1) / 4);
    expect(values.every((value) => Number.isFinite(value))).toBe(true);
  });

  it('names an unknown kernel', () => {
    expect(() => pool.run('no_such_kernel', [[]])).toThrow(/no kernel 'no_such_kernel'/);
  });
});
