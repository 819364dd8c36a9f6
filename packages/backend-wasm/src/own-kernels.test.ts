import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { plainModuleBase64, plainRelaxedModuleBase64, sharedModuleBase64, sharedRelaxedModuleBase64, sourceSha256 } from './own-kernels.generated.js';
import { runNode } from './testing/run-node.js';

// Our own WebAssembly module (packages/backend-wasm/wasm/*.c): what it may touch, and that the embedded
// binaries are the committed sources. What each kernel computes is tested where it is used
// (layout-kernels.test.ts, wasm-kernels.test.ts, ops/batch-norm-training.test.ts).
const packageDirectory = fileURLToPath(new URL('../', import.meta.url));
const sourceDirectory = path.join(packageDirectory, 'wasm');
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

describe('our WebAssembly module', () => {
  it('is a module (all four builds) that writes no memory of its own: only env.memory imported, no data, no start function', () => {
    // The relaxed-SIMD builds compile on Node 20 too: the test setup's wasm provider sets V8's flag.
    for (const base64 of [plainModuleBase64, sharedModuleBase64, plainRelaxedModuleBase64, sharedRelaxedModuleBase64]) {
      const bytes = Buffer.from(base64, 'base64');
      const module = new wasmApi.Module(bytes);
      expect(wasmApi.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      expect(wasmApi.Module.exports(module).map((entry) => entry.name).sort()).toEqual(['batch_norm_affine', 'batch_norm_gradient_apply', 'batch_norm_gradient_sums', 'batch_norm_statistics', 'binary_per_channel', 'binary_same', 'conv2d_backprop_input', 'conv2d_backprop_input_pack', 'conv2d_backprop_input_packed_floats', 'conv2d_filter_grad', 'conv2d_flip_filter', 'conv2d_forward', 'conv2d_pack_filter', 'interleave_phase', 'move_batch_inward', 'sgd_momentum_step', 'transpose_batch_to_channels', 'unary', 'winograd4_conv2d', 'winograd4_pack_filter', 'winograd4_packed_floats', 'winograd4_scratch_floats', 'winograd_conv2d', 'winograd_filter_grad', 'winograd_filter_grad_m_floats', 'winograd_filter_grad_output', 'winograd_filter_grad_scratch_floats', 'winograd_pack_filter', 'winograd_packed_floats', 'winograd_scratch_floats']);
      expect(sectionIds(bytes)).not.toContain(8); // start
      expect(sectionIds(bytes)).not.toContain(11); // data
    }
  });

  it('uses f32x4.relaxed_madd in the relaxed-SIMD builds only: the 16 inner-product steps of the 4 convolution kernels', () => {
    const count = (base64: string) => {
      const bytes = Buffer.from(base64, 'base64');
      let found = 0;
      for (let index = 0; index + 2 < bytes.length; index++) if (bytes[index] === 0xfd && bytes[index + 1] === 0x85 && bytes[index + 2] === 0x02) found++;
      return found;
    };
    expect(count(plainModuleBase64)).toBe(0);
    expect(count(sharedModuleBase64)).toBe(0);
    expect(count(plainRelaxedModuleBase64)).toBeGreaterThanOrEqual(16);
    expect(count(sharedRelaxedModuleBase64)).toBe(count(plainRelaxedModuleBase64));
  });

  it('is built from the committed C sources', async () => {
    // the build script's hash: every wasm/*.c and *.h in name order, each as its name, a newline, its bytes
    const hash = createHash('sha256');
    for (const name of readdirSync(sourceDirectory).filter((file) => file.endsWith('.c') || file.endsWith('.h')).sort()) {
      hash.update(`${name}\n`).update(readFileSync(path.join(sourceDirectory, name)));
    }
    expect(hash.digest('hex'), 'run pnpm --filter @robustfair/backend-wasm build (needs clang) and commit the generated file').toBe(sourceSha256);
    // The build's compiler is Debian's clang-16 with its own wasm-ld (lld-16).
    const linker = spawnSync('clang-16', ['-print-prog-name=wasm-ld'], { encoding: 'utf8' });
    const linkerPath = linker.status === 0 ? linker.stdout.trim() : '';
    if (!linkerPath.startsWith('/') || spawnSync(linkerPath, ['--version']).status !== 0) return; // without the toolchain the hash is the check
    const check = await runNode(['scripts/build-wasm.mjs', '--check'], { cwd: packageDirectory });
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
