import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createConv2d } from './conv2d.js';

/**
 * Plain-JS reference of PyTorch's conv2d: zero padding p on every side, output side
 * ⌊(in + 2p − k) / s⌋ + 1, out[i][j][o] = Σ x[s·i + a − p][s·j + b − p][c] · w[a][b][c][o].
 * Single image, HWC input, HWIO kernel.
 */
function referenceConvolution(
  input: readonly number[],
  [height, width, channels]: readonly [number, number, number],
  kernel: readonly number[],
  [kernelSize, outputChannels]: readonly [number, number],
  stride: number,
  padding: number,
): { values: number[]; shape: [number, number, number] } {
  const outHeight = Math.floor((height + 2 * padding - kernelSize) / stride) + 1;
  const outWidth = Math.floor((width + 2 * padding - kernelSize) / stride) + 1;
  const values: number[] = [];
  for (let i = 0; i < outHeight; i++) {
    for (let j = 0; j < outWidth; j++) {
      for (let o = 0; o < outputChannels; o++) {
        let total = 0;
        for (let a = 0; a < kernelSize; a++) {
          for (let b = 0; b < kernelSize; b++) {
            const row = stride * i + a - padding;
            const column = stride * j + b - padding;
            if (row < 0 || row >= height || column < 0 || column >= width) continue; // zero padding
            for (let c = 0; c < channels; c++) {
              total += input[(row * width + column) * channels + c]! * kernel[((a * kernelSize + b) * channels + c) * outputChannels + o]!;
            }
          }
        }
        values.push(total);
      }
    }
  }
  return { values, shape: [outHeight, outWidth, outputChannels] };
}

const sequence = (length: number, scale: number, shift = 0) => Array.from({ length }, (_, index) => ((index * 7 + 3) % 11) * scale - shift);

describe(createConv2d, () => {
  it('pads like PyTorch padding=1 with stride 2 (top-left as well as bottom-right), on a hand-checked 4x4 input', () => {
    // One channel in and out, input 1..16 row by row, all-ones kernel: each output is the sum of
    // a 3x3 window centred on (2i, 2j) with zeros outside. By hand:
    //   (0,0): 1+2+5+6 = 14            (0,1): 2+3+4+6+7+8 = 30
    //   (1,0): 5+6+9+10+13+14 = 57     (1,1): 6+7+8+10+11+12+14+15+16 = 99
    // TF's 'same' pads only bottom/right here, so its windows cover rows/columns 2i..2i+2:
    //   (0,0): 1+2+3+5+6+7+9+10+11 = 54   (0,1): 3+4+7+8+11+12 = 45
    //   (1,0): 9+10+11+13+14+15 = 72      (1,1): 11+12+15+16 = 54
    const layer = createConv2d({ inputChannels: 1, outputChannels: 1, kernelSize: 3, stride: 2, padding: 1, bias: false, seed: 0 });
    layer.weight.assign(tf.ones([3, 3, 1, 1]));
    const input = tf.tensor4d(Array.from({ length: 16 }, (_, index) => index + 1), [1, 4, 4, 1]);
    const output = layer.apply(input);
    expect(output.shape).toEqual([1, 2, 2, 1]);
    expect(Array.from(output.dataSync())).toEqual([14, 30, 57, 99]);
    const same = tf.conv2d(input, layer.weight, 2, 'same');
    expect(Array.from(same.dataSync())).toEqual([54, 45, 72, 54]);
    tf.dispose([input, output, same]);
    layer.dispose();
  });

  it.each([
    { size: 4, stride: 2, padding: 1 },
    { size: 5, stride: 2, padding: 1 },
    { size: 5, stride: 1, padding: 1 },
    { size: 6, stride: 2, padding: 0 },
  ])('matches the plain-JS reference with two channels in and three out ($size px, stride $stride, padding $padding)', ({ size, stride, padding }) => {
    const layer = createConv2d({ inputChannels: 2, outputChannels: 3, kernelSize: 3, stride, padding, bias: true, seed: 4 });
    const kernel = sequence(3 * 3 * 2 * 3, 0.1, 0.5);
    layer.weight.assign(tf.tensor4d(kernel, [3, 3, 2, 3]));
    layer.bias!.assign(tf.tensor1d([0.5, -1, 2]));
    const pixels = sequence(size * size * 2, 0.09);
    const input = tf.tensor4d(pixels, [1, size, size, 2]);
    const output = layer.apply(input);
    const expected = referenceConvolution(pixels, [size, size, 2], kernel, [3, 3], stride, padding);
    expect(output.shape).toEqual([1, ...expected.shape]);
    const actual = output.dataSync();
    expected.values.forEach((value, index) => expect(actual[index]).toBeCloseTo(value + [0.5, -1, 2][index % 3]!, 4));
    tf.dispose([input, output]);
    layer.dispose();
  });

  it('initialises weight and bias in ±1/√fanIn with fanIn = inputChannels·k², reproducibly per seed', () => {
    const make = (seed: number) => createConv2d({ inputChannels: 3, outputChannels: 8, kernelSize: 3, seed });
    const layer = make(1);
    const bound = 1 / Math.sqrt(3 * 3 * 3);
    const weights = Array.from(layer.weight.dataSync());
    const biases = Array.from(layer.bias!.dataSync());
    for (const value of [...weights, ...biases]) expect(Math.abs(value)).toBeLessThanOrEqual(bound);
    // 216 uniform draws: the largest is near the bound (P(max < 0.9·bound) = 0.9^216 ≈ 1e-10).
    expect(Math.max(...weights.map(Math.abs))).toBeGreaterThan(0.9 * bound);
    const again = make(1);
    const other = make(2);
    expect(Array.from(again.weight.dataSync())).toEqual(weights);
    expect(Array.from(other.weight.dataSync())).not.toEqual(weights);
    for (const created of [layer, again, other]) created.dispose();
  });
});
