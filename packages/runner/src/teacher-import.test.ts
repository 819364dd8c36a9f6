import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSmallCnn } from '@robustfair/models';
import { describe, expect, it } from 'vitest';
import { parseExperimentSpec, type LoadedConfig } from './config/load-config.js';
import { silentReporter } from './progress/progress-reporter.js';
import { loadModelWeights } from './results/model-weights.js';
import { runExperiments } from './run-experiments.js';

/** A safetensors file in PyTorch layout (conv OIHW, linear [out, in]) from one of our models. */
function toPytorchSafetensors(model: ReturnType<typeof createSmallCnn>): Uint8Array {
  const tensors = model.namedVariables().map(({ name, variable }) => {
    const values = variable.dataSync() as Float32Array;
    if (variable.rank === 4) {
      const [kh, kw, ci, co] = variable.shape as [number, number, number, number];
      const out = new Float32Array(values.length);
      for (let a = 0; a < kh; a++) for (let b = 0; b < kw; b++) for (let i = 0; i < ci; i++) for (let o = 0; o < co; o++) {
        out[((o * ci + i) * kh + a) * kw + b] = values[((a * kw + b) * ci + i) * co + o] as number;
      }
      return { name, shape: [co, ci, kh, kw], values: out };
    }
    if (variable.rank === 2) {
      const [rows, columns] = variable.shape as [number, number];
      const out = new Float32Array(values.length);
      for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out[c * rows + r] = values[r * columns + c] as number;
      return { name, shape: [columns, rows], values: out };
    }
    return { name, shape: [...variable.shape], values: Float32Array.from(values) };
  });
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const tensor of tensors) {
    header[tensor.name] = { dtype: 'F32', shape: tensor.shape, data_offsets: [offset, offset + tensor.values.length * 4] };
    offset += tensor.values.length * 4;
  }
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const file = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(file.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  file.set(headerBytes, 8);
  let position = 8 + headerBytes.length;
  for (const tensor of tensors) {
    file.set(new Uint8Array(tensor.values.buffer), position);
    position += tensor.values.byteLength;
  }
  return file;
}

describe('teacher import from the config', () => {
  it('loads a safetensors teacher, records its robustness, and distils from it', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'robustfair-import-'));
    try {
      const source = createSmallCnn({ numClasses: 3, inputShape: [8, 8, 3], width: 4, seed: 9 });
      await writeFile(path.join(out, 'teacher.safetensors'), toPytorchSafetensors(source));
      source.dispose();
      const raw = {
        name: 'imported',
        seed: 1,
        dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 8, trainPerClass: 8, validationPerClass: 0, testPerClass: 6 } },
        model: { id: 'small-cnn', options: { width: 2 } },
        distiller: { id: 'rslad' },
        teacher: { model: { id: 'small-cnn', options: { width: 4 } }, import: { file: 'teacher.safetensors' } },
        trainingAttack: { id: 'pgd', options: { steps: 2, init: 'gaussian' } },
        training: { epochs: 1, batchSize: 12 },
        evaluation: { batchSize: 18, attacks: [{ preset: 'pgd20', overrides: { steps: 2 } }] },
      };
      const config: LoadedConfig = { file: path.join(out, 'config.json'), raw, spec: parseExperimentSpec(raw) };
      const result = await runExperiments(config, { out, reporter: silentReporter });
      expect(result.teachers).toHaveLength(1);
      expect(result.arms[0]!.teacher?.evaluation.clean.count).toEqual([6, 6, 6]);
      // The teacher the students used holds exactly the source model's weights.
      const reference = createSmallCnn({ numClasses: 3, inputShape: [8, 8, 3], width: 4, seed: 9 });
      const loaded = createSmallCnn({ numClasses: 3, inputShape: [8, 8, 3], width: 4, seed: 123 });
      await loadModelWeights(loaded, result.teachers[0]!.directory);
      expect(loaded.namedVariables().map(({ variable }) => Array.from(variable.dataSync()))).toEqual(
        reference.namedVariables().map(({ variable }) => Array.from(variable.dataSync())),
      );
      reference.dispose();
      loaded.dispose();
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);

  it('checks teacher.import.sha256 and imports and evaluates a file once per results directory', async () => {
    const out = await mkdtemp(path.join(os.tmpdir(), 'robustfair-import-sha-'));
    try {
      const source = createSmallCnn({ numClasses: 3, inputShape: [8, 8, 3], width: 4, seed: 9 });
      const bytes = toPytorchSafetensors(source);
      source.dispose();
      await writeFile(path.join(out, 'teacher.safetensors'), bytes);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const configWith = (hash: string): LoadedConfig => {
        const raw = {
          name: 'imported',
          dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 8, trainPerClass: 4, validationPerClass: 0, testPerClass: 2 } },
          model: { id: 'small-cnn', options: { width: 2 } },
          distiller: { id: 'rslad' },
          teacher: { model: { id: 'small-cnn', options: { width: 4 } }, import: { file: 'teacher.safetensors', sha256: hash } },
          trainingAttack: { id: 'pgd', options: { steps: 1 } },
          training: { epochs: 1, batchSize: 12 },
          evaluation: { batchSize: 6, attacks: [] },
        };
        return { file: path.join(out, 'config.json'), raw, spec: parseExperimentSpec(raw) };
      };
      const wrong = sha256.replace(/^./, sha256.startsWith('0') ? '1' : '0');
      await expect(runExperiments(configWith(wrong), { out, reporter: silentReporter })).rejects.toThrow(
        `${path.join(out, 'teacher.safetensors')}: has SHA-256 ${sha256}, but teacher.import.sha256 expects ${wrong}`,
      );
      const lines: string[] = [];
      const reporter = { ...silentReporter, info: (line: string) => void lines.push(line) };
      const first = await runExperiments(configWith(sha256), { out, reporter });
      expect(lines.some((line) => line.includes('already imported'))).toBe(false);
      const second = await runExperiments(configWith(sha256), { out, reporter });
      expect(lines.filter((line) => line.includes('already imported and evaluated: reusing'))).toHaveLength(1);
      expect(second.teachers[0]!.evaluation).toEqual(first.teachers[0]!.evaluation);
      // Committed results carry no weights: they are imported again, the evaluation is reused.
      const teacherDirectory = second.teachers[0]!.directory;
      await rm(path.join(teacherDirectory, 'weights.json'));
      await rm(path.join(teacherDirectory, 'weights.bin'));
      const third = await runExperiments(configWith(sha256), { out, reporter });
      expect(lines.filter((line) => line.includes('already imported and evaluated: reusing'))).toHaveLength(2);
      expect(existsSync(path.join(teacherDirectory, 'weights.json'))).toBe(true);
      const withoutTime = ({ seconds: _seconds, ...rest }: { seconds: number }) => rest;
      expect(withoutTime(third.arms[0]!.evaluation)).toEqual(withoutTime(second.arms[0]!.evaluation));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);

  it("requires exactly one of the teacher's training or import", () => {
    const raw = {
      dataset: { id: 'synthetic' },
      model: { id: 'small-cnn' },
      distiller: { id: 'rslad' },
      teacher: { model: { id: 'small-cnn' } },
      training: { epochs: 1 },
    };
    expect(() => parseExperimentSpec(raw)).toThrow(/teacher: give the teacher exactly one of 'training'/);
  });
});
