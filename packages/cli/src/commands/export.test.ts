import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSeededRandom, selectBackend } from '@robustfair/core';
import { createPreActResNet18, createSmallCnn, importSafetensors } from '@robustfair/models';
import { builtinBackendProviders, parseExperimentSpec, runExperiments, silentReporter } from '@robustfair/runner';
import type { Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgram } from '../program.js';
import { registerExportCommand } from './export.js';
import { runRegisteredCommand } from './run-registered-command.js';

// Issue 14, section 3: weights out. An arm's weights leave as a PyTorch state_dict that loads
// back bit for bit, and (when Debian's python3-torch is installed) into PyTorch's class of the
// same architecture with strict names, giving the same logits on the same images.

const torchScript = fileURLToPath(new URL('../../../../tools/torch/exported_logits.py', import.meta.url));
const torchPython = ['/usr/bin/python3', 'python3'].find((python) => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);

const models = {
  'small-cnn': { options: { width: 2 }, create: (seed: number) => createSmallCnn({ numClasses: 3, inputShape: [8, 8, 3], width: 2, seed }) },
  'preact-resnet18': { options: { width: 2 }, create: (seed: number) => createPreActResNet18({ numClasses: 3, inputShape: [8, 8, 3], width: 2, seed }) },
} as const;

let out: string;
beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'robustfair-cli-export-'));
  for (const [id, { options }] of Object.entries(models)) {
    const raw = {
      name: id,
      backend: 'cpu',
      dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 8, trainPerClass: 6, validationPerClass: 0, testPerClass: 2 } },
      model: { id, options },
      trainingAttack: { id: 'pgd', options: { steps: 1 } },
      training: { epochs: 1, batchSize: 9 },
      evaluation: { batchSize: 6, attacks: [{ preset: 'pgd20', name: 'pgd2', overrides: { steps: 2 } }] },
    };
    await runExperiments({ file: path.join(out, `${id}.json`), raw, spec: parseExperimentSpec(raw) }, { out, reporter: silentReporter, saveWeights: true });
  }
}, 120_000);
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
  await selectBackend((process.env['ROBUSTFAIR_BACKEND'] as 'cpu' | 'wasm' | undefined) ?? 'wasm', builtinBackendProviders);
});

const exportArm = (...args: string[]) => runRegisteredCommand(registerExportCommand, 'export', args);

async function savedValues(armDirectory: string): Promise<Map<string, number[]>> {
  const manifest = JSON.parse(await readFile(path.join(armDirectory, 'weights.json'), 'utf8')) as { weights: { name: string; offset: number; length: number }[] };
  const bytes = await readFile(path.join(armDirectory, 'weights.bin'));
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return new Map(manifest.weights.map(({ name, offset, length }) => [name, Array.from(values.subarray(offset, offset + length))]));
}

const valuesOf = (model: Model) => new Map(model.namedVariables().map(({ name, variable }) => [name, Array.from(variable.dataSync())]));

describe('robustfair export --format safetensors', () => {
  for (const [id, { create }] of Object.entries(models)) {
    it(`${id}: writes the arm's weights that import back bit for bit, and prints their SHA-256`, async () => {
      const arm = path.join(out, id, id);
      const output = await exportArm(arm, '--format', 'safetensors');
      const file = path.join(arm, 'model.safetensors');
      const bytes = await readFile(file);
      expect(output).toBe(`${file}: ${id} state_dict, ${bytes.byteLength} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}\n`);
      const model = create(99);
      importSafetensors(model, new Uint8Array(bytes), { architecture: id as keyof typeof models });
      expect(valuesOf(model)).toEqual(await savedValues(arm));
      model.dispose();
    });
  }

  it("eval --weights FILE.safetensors --model <id> gives the arm's own class-wise evaluation (no config)", async () => {
    const arm = path.join(out, 'small-cnn', 'small-cnn');
    const weights = path.join(out, 'from-pytorch', 'model.safetensors');
    await exportArm(arm, '--out', weights);
    const result = JSON.parse(await readFile(path.join(arm, 'result.json'), 'utf8')) as { spec: { dataset: unknown; evaluation: unknown }; evaluation: Record<string, unknown> };
    const program = createProgram().exitOverride();
    await program.parseAsync(
      ['eval', '--weights', weights, '--model', 'small-cnn', '--quiet', '--set', 'model.options.width=2', '--set', 'backend=cpu',
        '--set', `dataset=${JSON.stringify(result.spec.dataset)}`, '--set', `evaluation=${JSON.stringify(result.spec.evaluation)}`],
      { from: 'user' },
    );
    const summary = JSON.parse(await readFile(path.join(out, 'from-pytorch', 'evaluations', 'model', 'evaluation-summary.json'), 'utf8')) as {
      evaluation: Record<string, unknown>;
    };
    const withoutTime = ({ seconds: _seconds, ...rest }: Record<string, unknown>) => rest;
    expect(withoutTime(summary.evaluation)).toEqual(withoutTime(result.evaluation));
    await expect(createProgram().exitOverride().parseAsync(['eval', '--weights', weights], { from: 'user' })).rejects.toThrow(/needs --model <id>/);
  });

  it('--out writes elsewhere', async () => {
    const target = path.join(out, 'copy', 'teacher.safetensors');
    const output = await exportArm(path.join(out, 'small-cnn', 'small-cnn'), '--out', target);
    expect(output.startsWith(`${target}: small-cnn state_dict`)).toBe(true);
  });

  it.skipIf(torchPython === undefined)('PyTorch loads the export with strict names and gives the same logits (1e-4)', async () => {
    await selectBackend('cpu', builtinBackendProviders);
    const random = createSeededRandom(3);
    const images = Float32Array.from({ length: 4 * 8 * 8 * 3 }, () => random.float());
    const imageFile = path.join(out, 'images.f32');
    await writeFile(imageFile, new Uint8Array(images.buffer));
    for (const [id, { options, create }] of Object.entries(models)) {
      const weights = path.join(out, id, id, 'model.safetensors');
      await exportArm(path.join(out, id, id), '--out', weights);
      const model = create(7);
      importSafetensors(model, new Uint8Array(await readFile(weights)), { architecture: id as keyof typeof models });
      const ours = tf.tidy(() => model.logits(tf.tensor4d(images, [4, 8, 8, 3]), { training: false }).arraySync()) as number[][];
      const theirs = JSON.parse(
        execFileSync(torchPython as string, [torchScript, weights, id, String(options.width), '3', imageFile, '4', '8', '8', '3'], {
          cwd: path.dirname(torchScript),
          encoding: 'utf8',
        }),
      ) as number[][];
      ours.forEach((row, sample) => row.forEach((value, klass) => expect(Math.abs(value - theirs[sample]![klass]!)).toBeLessThan(1e-4)));
      model.dispose();
    }
  });
});
