import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentSpec, type LoadedConfig } from './config/load-config.js';
import { silentReporter } from './progress/progress-reporter.js';
import { runExperiments } from './run-experiments.js';

// `initialWeights` (FRL's hot start): an arm starts from another arm's saved weights.

let out: string;
beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'robustfair-initial-weights-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

const base = {
  dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 4, trainPerClass: 4, validationPerClass: 2, testPerClass: 2 } },
  model: { id: 'small-cnn', options: { width: 2 } },
  trainingAttack: { id: 'pgd', options: { steps: 1 } },
  evaluation: { batchSize: 6, attacks: [{ preset: 'pgd20', overrides: { steps: 1 } }], bootstrapResamples: 10 },
};

async function trainableWeights(directory: string): Promise<Map<string, Float32Array>> {
  const manifest = JSON.parse(await readFile(path.join(directory, 'weights.json'), 'utf8')) as { weights: { name: string; offset: number; length: number }[] };
  const bytes = await readFile(path.join(directory, 'weights.bin'));
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return new Map(manifest.weights.map((entry) => [entry.name, values.subarray(entry.offset, entry.offset + entry.length)]));
}

describe('initialWeights', () => {
  it("starts the student from a saved arm's weights (a near-zero learning rate keeps them)", async () => {
    const configFile = path.join(out, 'robustfair.config.json');
    const run = async (name: string, extra: Record<string, unknown>, learningRate: number, seed: number) => {
      const raw = { ...base, name, seed, ...extra, training: { epochs: 1, batchSize: 12, optimizer: { learningRate, momentum: 0, weightDecay: 0 } } };
      const config: LoadedConfig = { file: configFile, raw, spec: parseExperimentSpec(raw) };
      return runExperiments(config, { out, reporter: silentReporter, saveWeights: true, backend: 'wasm' });
    };
    await run('source', {}, 0.1, 1);
    const sourceDirectory = path.join(out, 'source', 'source');
    // A different seed: without initialWeights the start would differ.
    await run('hot', { initialWeights: { weights: './source/source' } }, 1e-12, 2);
    const source = await trainableWeights(sourceDirectory);
    const hot = await trainableWeights(path.join(out, 'hot', 'hot'));
    let compared = 0;
    for (const [name, values] of hot) {
      if (/moving|running|mean|variance/i.test(name)) continue; // batch-norm statistics move in train mode
      const expected = source.get(name)!;
      values.forEach((value, index) => expect(value, name).toBeCloseTo(expected[index]!, 6));
      compared += 1;
    }
    expect(compared).toBeGreaterThan(0);
  }, 120_000);
});
