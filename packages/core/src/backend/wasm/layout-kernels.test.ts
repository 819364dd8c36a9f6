import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { KernelScope, type WasmBackendLike } from './kernel-scope.js';
import { plainModuleBase64, sharedModuleBase64, sourceSha256 } from './layout-kernels.generated.js';
import { batchInward, batchToChannels, layoutKernelsFor } from './layout-kernels.js';

const onWasm = () => tf.getBackend() === 'wasm';
/** The reflection part of the WebAssembly API (the project compiles without the DOM lib). */
const wasmApi = (globalThis as unknown as {
  WebAssembly: {
    Module: {
      new (bytes: Uint8Array): object;
      imports(module: object): { module: string; name: string; kind: string }[];
      exports(module: object): { name: string; kind: string }[];
    };
  };
}).WebAssembly;
const packageDirectory = fileURLToPath(new URL('../../../', import.meta.url));

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
    expect(layoutKernelsFor(tf.backend() as WasmBackendLike)).toBeDefined();
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

  it('are plain modules that write no memory of their own: only env.memory imported, no data, no start function', () => {
    for (const base64 of [plainModuleBase64, sharedModuleBase64]) {
      const bytes = Buffer.from(base64, 'base64');
      const module = new wasmApi.Module(bytes);
      expect(wasmApi.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      expect(wasmApi.Module.exports(module).map((entry) => entry.name).sort()).toEqual(['interleave_phase', 'move_batch_inward', 'transpose_batch_to_channels']);
      expect(sectionIds(bytes)).not.toContain(8); // start
      expect(sectionIds(bytes)).not.toContain(11); // data
    }
  });

  it('are built from the committed C source', () => {
    const source = readFileSync(new URL('../../../wasm/layout-kernels.c', import.meta.url));
    expect(createHash('sha256').update(source).digest('hex'), 'run pnpm --filter @robustfair/core build (needs clang) and commit the generated file').toBe(sourceSha256);
    const clang = spawnSync('clang', ['--version']);
    if (clang.error || clang.status !== 0) return; // without clang the hash is the check
    const check = spawnSync(process.execPath, ['scripts/build-wasm.mjs', '--check'], { cwd: packageDirectory, encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
  });
});

/** The ids of a wasm binary's sections (magic and version, then id + LEB128 size + payload). */
function sectionIds(bytes: Uint8Array): number[] {
  const ids: number[] = [];
  let offset = 8;
  while (offset < bytes.length) {
    const id = bytes[offset++] as number;
    let size = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[offset++] as number;
      size |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    ids.push(id);
    offset += size;
  }
  return ids;
}
