import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSeededRandom } from '@robustfair/core';
import { winogradTile } from './conv2d.js';
import { KernelThreads } from './kernel-threads.js';
import { registerWasmTrainingKernels } from './register-wasm-training-kernels.js';
import { relaxedSimdSupported, wasmSimdVariant } from './wasm-simd-variant.js';

// Acceptance (issue 3, item 1): our wasm gradient kernels against the pure-JS cpu reference,
// max|g_wasm − g_cpu| ≤ 1e-4 · max|g_cpu| per tensor, on filters 1×1 to 5×5, strides 1-3,
// same/valid/explicit padding, odd sizes and the shapes of our models. It runs twice: in the
// backend-wasm project on the relaxed-SIMD build of our kernels (fused multiply-add; the one Node 22+
// and, through V8's flag, Node 20 pick), and in backend-wasm-plain-simd on the plain-SIMD build
// (vitest.plain-simd.config.ts sets ROBUSTFAIR_WASM_SIMD=plain).

interface Case {
  readonly name: string;
  /** depthwise: filter is [kh, kw, C, multiplier]. */
  readonly depthwise?: boolean;
  readonly input: [number, number, number, number];
  readonly filter: [number, number, number, number];
  readonly strides: number | [number, number];
  readonly pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
}

const explicit = (p: number): Case['pad'] => [[0, 0], [p, p], [p, p], [0, 0]];

const cases: Case[] = [
  { name: '3x3 s1 same', input: [2, 8, 8, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { name: '3x3 s1 valid', input: [2, 7, 9, 2], filter: [3, 3, 2, 5], strides: 1, pad: 'valid' },
  { name: '3x3 s2 explicit 1 (PyTorch)', input: [2, 8, 8, 4], filter: [3, 3, 4, 6], strides: 2, pad: explicit(1) },
  { name: '3x3 s2 same odd', input: [3, 9, 7, 3], filter: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { name: '3x3 s3 valid', input: [2, 11, 10, 2], filter: [3, 3, 2, 3], strides: 3, pad: 'valid' },
  { name: '5x5 s1 same', input: [2, 9, 9, 3], filter: [5, 5, 3, 4], strides: 1, pad: 'same' },
  { name: '5x5 s2 valid', input: [2, 13, 11, 2], filter: [5, 5, 2, 3], strides: 2, pad: 'valid' },
  { name: '5x3 s1 explicit', input: [2, 8, 8, 2], filter: [5, 3, 2, 3], strides: 1, pad: [[0, 0], [2, 2], [1, 1], [0, 0]] },
  { name: '2x2 s2 valid', input: [2, 8, 8, 3], filter: [2, 2, 3, 4], strides: 2, pad: 'valid' },
  { name: '2x2 s1 same (asymmetric pad)', input: [2, 7, 7, 2], filter: [2, 2, 2, 3], strides: 1, pad: 'same' },
  { name: '1x1 s1', input: [2, 6, 6, 5], filter: [1, 1, 5, 3], strides: 1, pad: 'valid' },
  { name: '1x1 s2 shortcut', input: [2, 8, 8, 4], filter: [1, 1, 4, 8], strides: 2, pad: 'valid' },
  { name: '1x1 s3 odd', input: [2, 10, 7, 3], filter: [1, 1, 3, 2], strides: 3, pad: 'valid' },
  { name: '3x3 s[1,2] mixed', input: [2, 8, 9, 3], filter: [3, 3, 3, 4], strides: [1, 2], pad: 'same' },
  { name: 'stem 32x32x3 -> 16', input: [2, 32, 32, 3], filter: [3, 3, 3, 16], strides: 1, pad: explicit(1) },
  { name: 'resnet 16x16x32 s2 -> 64', input: [2, 16, 16, 32], filter: [3, 3, 32, 64], strides: 2, pad: explicit(1) },
  { name: 'resnet 8x8x64 -> 64', input: [2, 8, 8, 64], filter: [3, 3, 64, 64], strides: 1, pad: explicit(1) },
  { name: '5x5 same on a 2x3 input (taps entirely in the padding)', input: [2, 2, 3, 6], filter: [5, 5, 6, 12], strides: 1, pad: 'same' },
  { name: '3x3 s2 same, 13 -> 20 channels (partial blocks)', input: [3, 7, 6, 13], filter: [3, 3, 13, 20], strides: 2, pad: 'same' },
  { name: 'Winograd 3x3 s1 same, odd 7x5, 9 -> 12 (partial tiles)', input: [3, 7, 5, 9], filter: [3, 3, 9, 12], strides: 1, pad: 'same' },
  { name: 'Winograd 3x3 s1 valid 9x6, 8 -> 8', input: [2, 9, 6, 8], filter: [3, 3, 8, 8], strides: 1, pad: 'valid' },
  { name: 'Winograd 3x3 s1 explicit 2, 10 -> 17', input: [2, 5, 6, 10], filter: [3, 3, 10, 17], strides: 1, pad: explicit(2) },
  { name: 'Winograd 3x3 s1 on 1x1 and 2x2 images, 16 -> 16', input: [5, 2, 1, 16], filter: [3, 3, 16, 16], strides: 1, pad: 'same' },
  // F(4×4, 3×3) where outputs are ≥ 8×8 and ≤ 128 channels are summed (conv2d.ts winogradTile), in the
  // forward pass and the stride-1 input gradient; F(2×2, 3×3) above 128 (its error limit).
  { name: 'Winograd F(4x4) 3x3 s1 same, odd 11x9, 12 -> 20 (partial tiles and blocks)', input: [2, 11, 9, 12], filter: [3, 3, 12, 20], strides: 1, pad: 'same' },
  { name: 'Winograd F(4x4) 3x3 s1 valid 14x10, 8 -> 8', input: [2, 14, 10, 8], filter: [3, 3, 8, 8], strides: 1, pad: 'valid' },
  { name: 'Winograd F(4x4) 3x3 s1 explicit 2, 10 -> 9', input: [2, 8, 9, 10], filter: [3, 3, 10, 9], strides: 1, pad: explicit(2) },
  { name: 'Winograd F(4x4) 16x16x32 -> 32', input: [2, 16, 16, 32], filter: [3, 3, 32, 32], strides: 1, pad: explicit(1) },
  { name: 'Winograd F(4x4) at its channel limit, 8x8x128 -> 16', input: [2, 8, 8, 128], filter: [3, 3, 128, 16], strides: 1, pad: explicit(1) },
  { name: 'Winograd F(4x4) for a stem\'s input gradient, 32 -> 3 channels on 16x12', input: [2, 16, 12, 3], filter: [3, 3, 3, 32], strides: 1, pad: 'same' },
  { name: 'Winograd F(2x2) past the limit, 8x8x256 -> 16', input: [1, 8, 8, 256], filter: [3, 3, 256, 16], strides: 1, pad: explicit(1) },
  { name: '4x4 s3 explicit 2', input: [2, 10, 10, 2], filter: [4, 4, 2, 3], strides: 3, pad: explicit(2) },
  { name: '3x3 s1 explicit 3 (padding wider than the filter: the phase is cropped)', input: [2, 6, 5, 3], filter: [3, 3, 3, 4], strides: 1, pad: explicit(3) },
  { name: 'depthwise 3x3 s1 explicit 3, multiplier 2 (cropped phase)', depthwise: true, input: [2, 6, 5, 3], filter: [3, 3, 3, 2], strides: 1, pad: explicit(3) },
  { name: 'depthwise 3x3 s1 same', depthwise: true, input: [2, 8, 8, 4], filter: [3, 3, 4, 1], strides: 1, pad: 'same' },
  { name: 'depthwise 3x3 s2 explicit 1 (MobileNetV2)', depthwise: true, input: [2, 8, 8, 6], filter: [3, 3, 6, 1], strides: 2, pad: explicit(1) },
  { name: 'depthwise 3x3 s2 same odd, multiplier 2', depthwise: true, input: [2, 9, 7, 3], filter: [3, 3, 3, 2], strides: 2, pad: 'same' },
  { name: 'depthwise 5x5 s1 valid', depthwise: true, input: [2, 9, 9, 2], filter: [5, 5, 2, 1], strides: 1, pad: 'valid' },
  { name: 'depthwise 1x1 s1 multiplier 3', depthwise: true, input: [2, 5, 5, 2], filter: [1, 1, 2, 3], strides: 1, pad: 'valid' },
  { name: 'depthwise 3x3 s3 valid', depthwise: true, input: [2, 11, 10, 3], filter: [3, 3, 3, 1], strides: 3, pad: 'valid' },
  { name: 'depthwise 2x2 s2 valid', depthwise: true, input: [2, 8, 8, 5], filter: [2, 2, 5, 1], strides: 2, pad: 'valid' },
];

function values(shape: number[], seed: number): Float32Array {
  const random = createSeededRandom(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.float() * 2 - 1);
}

async function gradients(testCase: Case, backend: string): Promise<{ y: Float32Array; dx: Float32Array; dw: Float32Array }> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor4d(values(testCase.input, 1), testCase.input);
    const w = tf.tensor4d(values(testCase.filter, 2), testCase.filter);
    const apply = (a: tf.Tensor4D, b: tf.Tensor4D) =>
      testCase.depthwise ? tf.depthwiseConv2d(a, b, testCase.strides, testCase.pad) : tf.conv2d(a, b, testCase.strides, testCase.pad);
    const probe = apply(x, w);
    const dy = tf.tensor(values(probe.shape, 3), probe.shape);
    const [dx, dw] = tf.grads((...[a, b]: tf.Tensor[]) => tf.sum(tf.mul(apply(a as tf.Tensor4D, b as tf.Tensor4D), dy)))([x, w]);
    return { y: probe.dataSync() as Float32Array, dx: dx!.dataSync() as Float32Array, dw: dw!.dataSync() as Float32Array };
  });
}

function relativeError(actual: Float32Array, expected: Float32Array): number {
  let worst = 0;
  let scale = 0;
  for (let index = 0; index < expected.length; index++) {
    worst = Math.max(worst, Math.abs((actual[index] as number) - (expected[index] as number)));
    scale = Math.max(scale, Math.abs(expected[index] as number));
  }
  return worst / scale;
}

describe('wasm training kernels', () => {
  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmTrainingKernels();
  });
  afterAll(async () => {
    await tf.setBackend(process.env['ROBUSTFAIR_BACKEND'] ?? 'cpu');
  });

  it('runs the build of our kernels this project asks for', () => {
    const plain = process.env['ROBUSTFAIR_WASM_SIMD'] === 'plain';
    expect(wasmSimdVariant()).toBe(plain ? 'plain' : 'relaxed');
    if (!plain) expect(relaxedSimdSupported()).toBe(true);
  });

  for (const testCase of cases) {
    it(`forward and gradients match cpu: ${testCase.name}`, async () => {
      const reference = await gradients(testCase, 'cpu');
      const before = tf.memory().numTensors;
      const wasm = await gradients(testCase, 'wasm');
      expect(tf.memory().numTensors).toBe(before);
      expect(wasm.y.length).toBe(reference.y.length);
      expect(relativeError(wasm.y, reference.y)).toBeLessThanOrEqual(1e-5);
      expect(wasm.dx.length).toBe(reference.dx.length);
      expect(wasm.dw.length).toBe(reference.dw.length);
      expect(relativeError(wasm.dx, reference.dx)).toBeLessThanOrEqual(1e-4);
      expect(relativeError(wasm.dw, reference.dw)).toBeLessThanOrEqual(1e-4);
    });
  }

  it('picks F(4×4, 3×3) for outputs of at least 8×8 summing 8 to 128 channels, F(2×2, 3×3) for other layers of 8 or more channels, and runs them', async () => {
    const tile = (inChannels: number, outChannels: number, size: number) => winogradTile(3, 3, 1, 1, inChannels, outChannels, size, size);
    expect([tile(128, 8, 8), tile(8, 8, 32), tile(32, 3, 32), tile(129, 8, 8), tile(64, 8, 7), tile(64, 3, 4), tile(7, 64, 32)]).toEqual([4, 4, 4, 2, 2, undefined, undefined]);
    expect([winogradTile(3, 3, 2, 2, 32, 32, 16, 16), winogradTile(5, 5, 1, 1, 32, 32, 16, 16)]).toEqual([undefined, undefined]);
    await tf.setBackend('wasm');
    const run = vi.spyOn(KernelThreads.prototype, 'run');
    try {
      const names = (input: [number, number, number, number], filter: [number, number, number, number], gradient = false) => {
        run.mockClear();
        tf.tidy(() => {
          const x = tf.tensor4d(values(input, 1), input);
          const w = tf.tensor4d(values(filter, 2), filter);
          if (gradient) tf.grad((a) => tf.sum(tf.conv2d(a as tf.Tensor4D, w, 1, 'same')))(x).dataSync();
          else tf.conv2d(x, w, 1, 'same').dataSync();
        });
        return run.mock.calls.map(([name]) => name).filter((name) => name.includes('conv2d') || name.includes('winograd'));
      };
      expect(names([1, 8, 8, 16], [3, 3, 16, 8])).toEqual(['winograd4_conv2d']);
      expect(names([1, 8, 8, 256], [3, 3, 256, 8])).toEqual(['winograd_conv2d']);
      expect(names([1, 4, 4, 16], [3, 3, 16, 8])).toEqual(['winograd_conv2d']);
      // a stem's input gradient (32 -> 3 channels): F(4x4) after the stem's direct forward pass
      expect(names([1, 8, 8, 3], [3, 3, 3, 32], true)).toEqual(['conv2d_forward', 'winograd4_conv2d']);
    } finally {
      run.mockRestore();
    }
  });

  it('the phase route of Conv2DBackpropInput (kept for a TF.js whose heap we cannot reach) matches the cpu backend', async () => {
    const { conv2dBackpropInputByPhases } = await import('./conv2d-backprop-input.js');
    for (const testCase of cases.filter((entry) => !entry.depthwise)) {
      await tf.setBackend('cpu');
      const reference = tf.tidy(() => {
        const shape = tf.conv2d(tf.zeros(testCase.input) as tf.Tensor4D, tf.zeros(testCase.filter) as tf.Tensor4D, testCase.strides, testCase.pad).shape;
        const dy = tf.tensor4d(values(shape, 3), shape);
        const dx = tf.conv2dTranspose(dy, tf.tensor4d(values(testCase.filter, 2), testCase.filter), testCase.input, testCase.strides, testCase.pad);
        return { dy: dy.dataSync() as Float32Array, shape, dx: dx.dataSync() as Float32Array };
      });
      await tf.setBackend('wasm');
      const backend = tf.backend() as tf.KernelBackend & { readSync(dataId: object): Float32Array; disposeData(dataId: object): boolean };
      const dy = tf.tensor(reference.dy, reference.shape);
      const filter = tf.tensor4d(values(testCase.filter, 2), testCase.filter);
      const info = conv2dBackpropInputByPhases({
        inputs: { dy, filter },
        backend,
        attrs: { strides: testCase.strides, pad: testCase.pad, inputShape: testCase.input, dataFormat: 'NHWC' } as unknown as tf.NamedAttrMap,
      });
      const dx = Float32Array.from(backend.readSync(info.dataId) as Float32Array);
      backend.disposeData(info.dataId);
      tf.dispose([dy, filter]);
      expect(relativeError(dx, reference.dx), testCase.name).toBeLessThanOrEqual(1e-4);
    }
  });

  it('hands a dilated Conv2D to the stock wasm kernel (set up on first use), matching cpu', async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => tf.conv2d(tf.tensor4d(values([2, 9, 9, 3], 4), [2, 9, 9, 3]), tf.tensor4d(values([3, 3, 3, 8], 5), [3, 3, 3, 8]), 1, 'same', 'NHWC', 2).dataSync() as Float32Array);
    };
    const reference = await run('cpu');
    expect(relativeError(await run('wasm'), reference)).toBeLessThanOrEqual(1e-5);
  });

  it('Identity and same-dtype Cast share data: a copy outlives its source, and both free their buffer', async () => {
    await tf.setBackend('wasm');
    const backend = tf.findBackend('wasm') as tf.KernelBackend & { numDataIds(): number };
    const before = backend.numDataIds();
    const x = tf.tensor1d([1.5, -2, 3]);
    const copy = tf.clone(x);
    const cast = tf.cast(x, 'float32');
    const integers = tf.cast(x, 'int32');
    expect(backend.numDataIds()).toBe(before + 2); // x's buffer, shared by copy and cast, and the int32 one
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1.5, -2, 3]);
    copy.dispose();
    expect(Array.from(cast.dataSync())).toEqual([1.5, -2, 3]);
    expect(Array.from(integers.dataSync())).toEqual([1, -2, 3]);
    tf.dispose([cast, integers]);
    expect(backend.numDataIds()).toBe(before);
  });

  it('frees every wasm buffer its kernels allocate', async () => {
    const testCase = cases[2] as Case;
    await gradients(testCase, 'wasm');
    const backend = tf.findBackend('wasm') as tf.KernelBackend & { numDataIds(): number };
    const before = backend.numDataIds();
    await gradients(testCase, 'wasm');
    expect(backend.numDataIds()).toBe(before);
  });
});

describe('registerWasmTrainingKernels', () => {
  it('installs our kernels in place of the stock ones, idempotently', async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    const { conv2dBackpropInputWasm } = await import('./conv2d-backprop-input.js');
    const { conv2dBackpropFilterWasm } = await import('./conv2d-backprop-filter.js');
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(conv2dBackpropInputWasm);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc).toBe(conv2dBackpropFilterWasm);
  });
});
