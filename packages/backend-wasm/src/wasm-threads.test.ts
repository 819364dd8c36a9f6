import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { wantedWasmThreads } from './wasm-threads.js';
import { runNode } from './testing/run-node.js';

describe('wantedWasmThreads', () => {
  it('follows ROBUSTFAIR_WASM_THREADS, is 1 inside vitest, else the cores up to 4', () => {
    expect(wantedWasmThreads({ ROBUSTFAIR_WASM_THREADS: '3' })).toBe(3);
    expect(wantedWasmThreads({ ROBUSTFAIR_WASM_THREADS: '1', VITEST: 'true' })).toBe(1);
    expect(wantedWasmThreads({ VITEST: 'true' })).toBe(1);
    const automatic = wantedWasmThreads({});
    expect(automatic).toBeGreaterThanOrEqual(1);
    expect(automatic).toBeLessThanOrEqual(4);
  });

  it('names the variable and the allowed values on bad input', () => {
    expect(() => wantedWasmThreads({ ROBUSTFAIR_WASM_THREADS: '0' })).toThrow(/ROBUSTFAIR_WASM_THREADS must be a positive integer.*got '0'/);
    expect(() => wantedWasmThreads({ ROBUSTFAIR_WASM_THREADS: 'two' })).toThrow(/got 'two'/);
  });
});

// The threaded module runs in its own process (never inside a vitest worker, where threads stay
// off): gradients through our kernels must match the cpu backend and the process must end by
// itself, i.e. the pthread workers do not keep Node alive. Needs the built packages (this one and core).
const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));

const script = `
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
const wasmBackend = await import(${JSON.stringify(built)});
const core = await import('@robustfair/core');
const selection = await core.selectBackend('wasm', [wasmBackend.wasmBackendProvider, core.cpuBackendProvider]);
const status = wasmBackend.wasmThreadsStatus();
const x = tf.randomUniform([32, 16, 16, 5], -1, 1, 'float32', 1);
const w = tf.randomUniform([3, 3, 5, 7], -1, 1, 'float32', 2);
const dy = tf.randomUniform([32, 8, 8, 7], -1, 1, 'float32', 3);
const gradients = () => tf.grads((a, b) => tf.sum(tf.mul(tf.conv2d(a, b, 2, 'same'), dy)))([x, w]).map((g) => Array.from(g.dataSync()));
// 5 -> 24 channels: our own direct weight-gradient kernel (8.8M multiply-adds: split over both threads)
const w8 = tf.randomUniform([3, 3, 5, 24], -1, 1, 'float32', 4);
const dy8 = tf.randomUniform([32, 16, 16, 24], -1, 1, 'float32', 5);
const ownGradient = () => Array.from(tf.grad((b) => tf.sum(tf.mul(tf.conv2d(x, b, 1, 'same'), dy8)))(w8).dataSync());
// batch norm over 524288 elements: its passes split over the helper thread too
const bx = tf.randomUniform([32, 32, 32, 16], -1, 3, 'float32', 6);
const bgamma = tf.randomUniform([16], 0.5, 1.5, 'float32', 7);
const bbeta = tf.randomUniform([16], -1, 1, 'float32', 8);
const bdy = tf.randomUniform([32, 32, 32, 16], -1, 1, 'float32', 9);
const batchNorm = () => {
  const [gx, gg, gb] = tf.grads((a, g, b) => tf.sum(tf.mul(core.batchNormTraining(a, g, b, 1e-5).output, bdy)))([bx, bgamma, bbeta]);
  return [core.batchNormTraining(bx, bgamma, bbeta, 1e-5).output, gx, gg, gb].map((t) => Array.from(t.dataSync()));
};
ownGradient();
await new Promise((resolve) => setTimeout(resolve, 500));
// Winograd: forward, input gradient (flipped filter) and weight gradient of 3x3 stride-1 convs: 8 -> 16
// channels on 16x16 runs F(4x4, 3x3) forward and backward; 256 -> 8 on 8x8 runs F(2x2, 3x3) forward
const x256 = tf.randomUniform([32, 8, 8, 256], -1, 1, 'float32', 13);
const w256 = tf.randomUniform([3, 3, 256, 8], -1, 1, 'float32', 14);
const dy256 = tf.randomUniform([32, 8, 8, 8], -1, 1, 'float32', 15);
const x8 = tf.randomUniform([32, 16, 16, 8], -1, 1, 'float32', 10);
const w816 = tf.randomUniform([3, 3, 8, 16], -1, 1, 'float32', 11);
const dy16 = tf.randomUniform([32, 16, 16, 16], -1, 1, 'float32', 12);
const winograd = (x, w, d) => {
  const [gx, gw] = tf.grads((a, b) => tf.sum(tf.mul(tf.conv2d(a, b, 1, 'same'), d)))([x, w]);
  return [tf.conv2d(x, w, 1, 'same'), gx, gw].map((t) => Array.from(t.dataSync()));
};
// elementwise kernels over 524288 elements: same shape, per channel, scalar first, ReLU
const elementwise = (x, g, d) => [tf.mul(x, d), tf.add(x, g), tf.sub(1, x), tf.relu(x)].map((t) => Array.from(t.dataSync()));
const own = [ownGradient(), ...batchNorm(), ...elementwise(bx, bgamma, bdy), ...winograd(x8, w816, dy16), ...winograd(x256, w256, dy256)];
const onWasm = gradients();
const values = [x, w, dy, w8, dy8, bx, bgamma, bbeta, bdy, x8, w816, dy16, x256, w256, dy256].map((t) => ({ shape: t.shape, data: Array.from(t.dataSync()) }));
await tf.setBackend('cpu');
const [cx, cw, cdy, cw8, cdy8, cbx, cbgamma, cbbeta, cbdy, cx8, cw816, cdy16, cx256, cw256, cdy256] = values.map((v) => tf.tensor(v.data, v.shape));
const onCpu = tf.grads((a, b) => tf.sum(tf.mul(tf.conv2d(a, b, 2, 'same'), cdy)))([cx, cw]).map((g) => Array.from(g.dataSync()));
onWasm.push(...own);
onCpu.push(Array.from(tf.grad((b) => tf.sum(tf.mul(tf.conv2d(cx, b, 1, 'same'), cdy8)))(cw8).dataSync()));
const [gx, gg, gb] = tf.grads((a, g, b) => tf.sum(tf.mul(core.batchNormTraining(a, g, b, 1e-5).output, cbdy)))([cbx, cbgamma, cbbeta]);
onCpu.push(...[core.batchNormTraining(cbx, cbgamma, cbbeta, 1e-5).output, gx, gg, gb].map((t) => Array.from(t.dataSync())));
onCpu.push(...elementwise(cbx, cbgamma, cbdy), ...winograd(cx8, cw816, cdy16), ...winograd(cx256, cw256, cdy256));
const worst = onWasm.map((g, i) => {
  const scale = onCpu[i].reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return g.reduce((m, v, j) => Math.max(m, Math.abs(v - onCpu[i][j])), 0) / scale;
});
const handlers = process.listeners('uncaughtException').length + process.listeners('unhandledRejection').length;
// the exact bits of our kernels' results, to compare across thread counts
const { createHash } = await import('node:crypto');
const bits = createHash('sha256').update(Buffer.from(new Float32Array(own.flat()).buffer)).digest('hex');
console.log(JSON.stringify({ active: selection.active, status, reported: selection.wasmThreads, worst, handlers, bits }));
`;

interface Result {
  active: string;
  status: { threads: number; note?: string; simd?: string };
  reported?: { threads: number; note?: string; simd?: string };
  worst: number[];
  handlers: number;
  bits: string;
}

async function runWith(threads: number, simd: 'plain' | 'relaxed'): Promise<Result> {
  const env: NodeJS.ProcessEnv = { ...process.env, ROBUSTFAIR_WASM_THREADS: String(threads), ROBUSTFAIR_WASM_SIMD: simd };
  delete env['VITEST'];
  delete env['VITEST_WORKER_ID'];
  delete env['VITEST_POOL_ID'];
  const run = await runNode(['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('..', import.meta.url)), env, timeoutMs: 60_000 });
  expect(run.error, 'the process did not start, or did not end by itself within 60 s').toBeUndefined();
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').pop() as string) as Result;
}

describe('threaded wasm module', () => {
  // Both builds of our kernels: relaxed SIMD (fused multiply-add; on Node 20 the provider sets V8's
  // flag) and plain SIMD, each forced by ROBUSTFAIR_WASM_SIMD.
  for (const simd of ['relaxed', 'plain'] as const) {
    it.skipIf(!existsSync(built))(`${simd} SIMD: runs our conv, Winograd, batch-norm and elementwise kernels on 2 threads, matches the cpu backend, is bit-for-bit the same on 1 and 2 threads, leaves no process handlers and exits by itself`, async () => {
      const result = await runWith(2, simd);
      expect(result.active).toBe('wasm');
      expect(result.status).toEqual({ threads: 2, simd });
      expect(result.reported, 'selectBackend reports the provider\'s threads and SIMD build as wasmThreads').toEqual({ threads: 2, simd });
      // conv dx, dw (XNNPACK route), own dw, batch norm y, dx, dgamma, dbeta, 4 elementwise, Winograd y, dx, dw twice
      expect(result.worst).toHaveLength(17);
      expect(result.worst.slice(7, 11)).toEqual([0, 0, 0, 0]); // elementwise results are exact
      for (const worst of result.worst) expect(worst).toBeLessThanOrEqual(1e-4);
      // Emscripten's re-throwing process handlers are removed (errors print as Node prints them).
      expect(result.handlers).toBe(0);
      // Our kernels split work so every sum runs in the same order on any thread count.
      expect((await runWith(1, simd)).bits).toBe(result.bits);
    }, 120_000);
  }
});
