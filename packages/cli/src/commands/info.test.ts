import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerInfoCommand, type EnvironmentInfo } from './info.js';
import { runRegisteredCommand } from './run-registered-command.js';

const packages = fileURLToPath(new URL('../../../', import.meta.url));
const versionIn = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;

let data: string;
beforeAll(async () => {
  data = await mkdtemp(path.join(os.tmpdir(), 'robustfair-info-'));
  const cifar10 = path.join(data, 'cifar-10-batches-bin');
  await mkdir(cifar10);
  for (const file of ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin']) {
    await writeFile(path.join(cifar10, file), '');
  }
});
afterAll(async () => {
  await rm(data, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

const info = (...args: string[]) => runRegisteredCommand(registerInfoCommand, 'info', args);

function stubDataDirectories() {
  vi.stubEnv('ROBUSTFAIR_CIFAR10_DIR', path.join(data, 'cifar-10-batches-bin'));
  vi.stubEnv('ROBUSTFAIR_CIFAR100_DIR', path.join(data, 'no-such-directory'));
  vi.stubEnv('ROBUSTFAIR_TINY_IMAGENET_DIR', '');
}

describe('robustfair info', () => {
  it('--json: the backend and why the others were not taken, versions, data directories', async () => {
    stubDataDirectories();
    const result = JSON.parse(await info('--json', '--backend', 'cpu')) as EnvironmentInfo;

    expect(result.backend.active).toBe('cpu');
    expect(result.backend.skipped).toEqual({
      'tfjs-node-gpu': "not requested (backend 'cpu' was asked for)",
      'tfjs-node': "not requested (backend 'cpu' was asked for)",
      wasm: "not requested (backend 'cpu' was asked for)",
    });

    expect(result.versions.node).toBe(process.version);
    const robustfair = ['cli', 'spec', 'core', 'backend-wasm', 'attacks', 'distillers', 'fairness-strategies', 'metrics', 'datasets', 'models', 'runner'];
    expect(result.versions.robustfair).toEqual(
      Object.fromEntries(robustfair.map((name) => [`@robustfair/${name}`, versionIn(path.join(packages, name, 'package.json'))])),
    );
    // TF.js as the package that loads it does (wasm: @robustfair/backend-wasm, the rest:
    // @robustfair/core); native bindings are optional peers.
    const installed = (name: string) => {
      const from = createRequire(path.join(packages, name.endsWith('-wasm') ? 'backend-wasm' : 'core', 'package.json'));
      try {
        return versionIn(from.resolve(`${name}/package.json`));
      } catch {
        return 'not installed';
      }
    };
    expect(result.versions.tensorflow).toEqual({
      '@tensorflow/tfjs-core': tf.version_core,
      '@tensorflow/tfjs-backend-cpu': installed('@tensorflow/tfjs-backend-cpu'),
      '@tensorflow/tfjs-backend-wasm': installed('@tensorflow/tfjs-backend-wasm'),
      '@tensorflow/tfjs-node': installed('@tensorflow/tfjs-node'),
      '@tensorflow/tfjs-node-gpu': installed('@tensorflow/tfjs-node-gpu'),
    });
    expect(result.versions.tensorflow['@tensorflow/tfjs-backend-wasm']).toMatch(/^\d+\.\d+\.\d+/);

    expect(result.dataDirectories.map(({ dataset, status, directory }) => ({ dataset, status, directory }))).toEqual([
      { dataset: 'cifar10', status: 'found', directory: path.join(data, 'cifar-10-batches-bin') },
      { dataset: 'cifar100', status: 'not-found', directory: path.join(data, 'no-such-directory') },
      { dataset: 'tiny-imagenet', status: 'not-set', directory: undefined },
    ]);
  });

  it('prints the same as text: found / not found and the path, for people', async () => {
    stubDataDirectories();
    const text = await info('--backend', 'cpu');
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('active backend: cpu');
    expect(lines).toContain("  wasm: not requested (backend 'cpu' was asked for)");
    expect(text).toMatch(new RegExp(`\\n  node +${process.version.replace(/\./g, '\\.')}\\n`));
    expect(text).toMatch(/\n {2}@robustfair\/cli +\d+\.\d+\.\d+/);
    expect(text).toMatch(/\n {2}@tensorflow\/tfjs-core +\d+\.\d+\.\d+/);
    expect(lines).toContain(`  CIFAR-10       found: ${path.join(data, 'cifar-10-batches-bin')} (ROBUSTFAIR_CIFAR10_DIR)`);
    expect(lines).toContain(`  CIFAR-100      not found: ${path.join(data, 'no-such-directory')} (ROBUSTFAIR_CIFAR100_DIR) is not a directory`);
    expect(lines).toContain("  Tiny-ImageNet  not found: ROBUSTFAIR_TINY_IMAGENET_DIR is not set (or give the dataset's 'directory' option)");
  });

  it('without --backend, picks by priority and gives a reason for every backend not taken', async () => {
    vi.stubEnv('ROBUSTFAIR_BACKEND', '');
    const result = JSON.parse(await info('--json')) as EnvironmentInfo;
    const all = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];
    expect(all).toContain(result.backend.active);
    expect(Object.keys(result.backend.skipped).sort()).toEqual(all.filter((id) => id !== result.backend.active).sort());
    for (const reason of Object.values(result.backend.skipped)) expect(reason).toMatch(/\w/);
  });

  it('on wasm, prints the threads and which build of our kernels runs (relaxed or plain SIMD), as --json records it', async () => {
    const result = JSON.parse(await info('--json', '--backend', 'wasm')) as EnvironmentInfo;
    expect(result.backend.active).toBe('wasm');
    // The test setup started wasm without ROBUSTFAIR_WASM_SIMD: relaxed SIMD, which every supported Node runs.
    expect(result.backend.wasmThreads).toEqual({ threads: 1, simd: 'relaxed' });
    const text = await info('--backend', 'wasm');
    expect(text).toContain('active backend: wasm (1 thread; ROBUSTFAIR_WASM_THREADS sets it)\n  kernels: relaxed SIMD (fused multiply-add) (ROBUSTFAIR_WASM_SIMD=plain|relaxed forces one)');
  });
});
