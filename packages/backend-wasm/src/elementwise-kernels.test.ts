import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeededRandom } from '@robustfair/core';
import { OWN_ELEMENTWISE_MIN } from './elementwise-kernels.js';
import { registerWasmTrainingKernels } from './register-wasm-training-kernels.js';

// Our Add, Multiply, Sub, Minimum, Maximum, Relu, Step and Sign on wasm against the cpu backend. A
// float32 add, multiply or subtract is correctly rounded either way, and the others are exact, so
// the results must be the same values (Object.is: NaN equals NaN, -0 differs from +0; a NaN's
// sign bit is not compared, V8's Math.max sets it on x86).

function values(shape: number[], seed: number, specials = false): Float32Array {
  const random = createSeededRandom(seed);
  const data = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.float() * 4 - 2);
  if (specials && data.length >= 6) data.set([Number.NaN, -0, 0, -1e-30, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY], 0);
  return data;
}

type Op = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
const binary: [string, Op][] = [
  ['add', tf.add],
  ['mul', tf.mul],
  ['sub', tf.sub],
  ['minimum', tf.minimum],
  ['maximum', tf.maximum],
];

/** Every element the same value by Object.is. */
function sameValues(actual: Float32Array, expected: Float32Array): boolean {
  return actual.length === expected.length && actual.every((value, index) => Object.is(value, expected[index]));
}

async function both(compute: () => tf.Tensor): Promise<[Float32Array, Float32Array]> {
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    return tf.tidy(() => compute().dataSync() as Float32Array).slice();
  };
  return [await run('wasm'), await run('cpu')];
}

describe('wasm elementwise kernels', () => {
  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmTrainingKernels();
  });
  afterAll(async () => {
    await tf.setBackend(process.env['ROBUSTFAIR_BACKEND'] ?? 'cpu');
  });

  const full = [3, 11, 13, 41]; // 17589 elements: odd, above the threshold
  const shapes: [string, number[], number[]][] = [
    ['same shape', full, full],
    ['same shape, leading 1', full, [1, ...full]],
    ['per channel [C]', full, [41]],
    ['per channel [1, 1, 1, C]', full, [1, 1, 1, 41]],
    ['per channel first', [41], full],
    ['scalar', [4, 16, 16, 20], []],
    ['scalar first', [], [4, 16, 16, 20]],
    ['scalar, odd size (stock)', full, []],
    ['general broadcast (stock)', [4, 1, 16, 20], [4, 16, 1, 20]],
    ['small (stock)', [2, 3], [2, 3]],
  ];
  for (const [name, shapeA, shapeB] of shapes) {
    for (const [opName, op] of binary) {
      // TF.js's own wasm Minimum/Maximum (std::min/max) drop a NaN; ours propagate it as cpu does
      if (name.includes('(stock)') && (opName === 'minimum' || opName === 'maximum')) continue;
      it(`${opName}: ${name}`, async () => {
        const [wasm, cpu] = await both(() => op(tf.tensor(values(shapeA, 1, true), shapeA), tf.tensor(values(shapeB, 2), shapeB)));
        expect(wasm.length).toBe(cpu.length);
        expect(sameValues(wasm, cpu)).toBe(true);
      });
    }
  }

  it('int32 goes to the stock kernel', async () => {
    const [wasm, cpu] = await both(() => tf.add(tf.range(0, 20000, 1, 'int32'), tf.scalar(3, 'int32')));
    expect(Array.from(wasm)).toEqual(Array.from(cpu));
  });

  it('relu, step (alpha 0) and sign match cpu bit for bit, NaN and -0 included; step with another alpha goes to the stock kernel', async () => {
    expect(full.reduce((a, b) => a * b, 1)).toBeGreaterThanOrEqual(OWN_ELEMENTWISE_MIN);
    for (const compute of [
      () => tf.relu(tf.tensor(values(full, 3, true), full)),
      () => tf.step(tf.tensor(values(full, 4, true), full)),
      () => tf.step(tf.tensor(values(full, 5, true), full), 0.5),
      () => tf.sign(tf.tensor(values(full, 7, true), full)),
    ]) {
      const [wasm, cpu] = await both(compute);
      expect(sameValues(wasm, cpu)).toBe(true);
    }
  });

  it('minimum and maximum propagate NaN and order -0 below +0 in both operand orders, as Math.min/max', async () => {
    const specials = [Number.NaN, -0, 0, 1, -1, Number.POSITIVE_INFINITY];
    const left = Float32Array.from({ length: OWN_ELEMENTWISE_MIN * 2 }, (_, index) => specials[index % 6] as number);
    const right = Float32Array.from({ length: left.length }, (_, index) => specials[Math.floor(index / 6) % 6] as number);
    for (const op of [tf.minimum, tf.maximum]) {
      const [wasm, cpu] = await both(() => op(tf.tensor1d(left), tf.tensor1d(right)));
      expect(sameValues(wasm, cpu)).toBe(true);
      expect(Array.from(wasm.slice(0, 36)).map((value) => Object.is(value, -0))).toContain(true);
    }
  });

  it('leaves no tensor or buffer behind', async () => {
    await tf.setBackend('wasm');
    const backend = tf.backend() as tf.KernelBackend & { numDataIds(): number };
    const a = tf.tensor(values([4, 16, 16, 20], 6), [4, 16, 16, 20]);
    const before = [tf.memory().numTensors, backend.numDataIds()];
    tf.tidy(() => [tf.mul(a, 2), tf.sub(1, a), tf.add(a, tf.ones([20])), tf.minimum(a, tf.zerosLike(a)), tf.maximum(a, 0.5), tf.relu(a), tf.step(a), tf.sign(a)].forEach((t) => t.dataSync()));
    expect([tf.memory().numTensors, backend.numDataIds()]).toEqual(before);
    a.dispose();
  });
});
