import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentSpec, type LoadedConfig } from '../config/load-config.js';
import { silentReporter, type ProgressEvent } from '../progress/progress-reporter.js';
import { hasResult } from '../results/checkpoint-store.js';
import { runExperiments } from '../run-experiments.js';
import type { ArmResult } from '../run/run-types.js';
import { workerEnvironment } from './run-arms-in-workers.js';

// Issue 7: arms in worker processes give the same results as one after another, and their
// progress reaches the parent. The workers run the built runner (dist/arm-worker.js).
const built = existsSync(fileURLToPath(new URL('../../dist/arm-worker.js', import.meta.url)));
const canRunTwo = os.availableParallelism() >= 2;

/** Three tiny arms on cpu: 3 classes of 6×6 images, width-2 CNN, 2 epochs. */
function config(arms: readonly { value: { id: string } }[], dataset: Record<string, unknown> = {}): LoadedConfig {
  const raw: Record<string, unknown> = {
    name: 'workers',
    seed: 5,
    backend: 'cpu',
    dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 6, trainPerClass: 8, validationPerClass: 3, testPerClass: 4, ...dataset } },
    model: { id: 'small-cnn', options: { width: 2 } },
    trainingAttack: { id: 'pgd', options: { steps: 2 } },
    training: { epochs: 2, batchSize: 8, optimizer: { learningRate: 0.05 } },
    evaluation: { batchSize: 6, attacks: [{ name: 'pgd2', attack: { id: 'pgd', options: { steps: 2 } } }] },
  };
  return { file: path.join(os.tmpdir(), 'workers.json'), raw, spec: parseExperimentSpec(raw), compare: { field: 'fairness', arms: [...arms] } };
}

const withoutTimings = (result: ArmResult) => JSON.parse(JSON.stringify(result, (key, value: unknown) => (key === 'seconds' ? undefined : value))) as unknown;

let out: string;
beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'robustfair-workers-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('runExperiments with workers', () => {
  it('refuses fewer than one worker', async () => {
    await expect(runExperiments(config([{ value: { id: 'identity' } }]), { out, reporter: silentReporter, workers: 0 })).rejects.toThrow(
      'workers must be a whole number of at least 1, got 0',
    );
  });

  it.skipIf(!built || !canRunTwo)('gives each arm byte-equal weights and the same numbers as the sequential run; progress comes from the workers', async () => {
    const arms = [{ value: { id: 'identity' } }, { value: { id: 'class-reweight' } }, { value: { id: 'frl-reweight' } }];
    const printedSequential: string[] = [];
    const sequential = await runExperiments(config(arms), {
      out: path.join(out, 'sequential'),
      reporter: silentReporter,
      backend: 'cpu',
      saveWeights: true,
      print: (text) => printedSequential.push(text),
    });
    const lines: string[] = [];
    const events: ProgressEvent[] = [];
    const printedParallel: string[] = [];
    const parallel = await runExperiments(config(arms), {
      out: path.join(out, 'parallel'),
      reporter: { info: (line) => lines.push(line), progress: (event) => events.push(event) },
      backend: 'cpu',
      saveWeights: true,
      workers: 2,
      print: (text) => printedParallel.push(text),
    });

    const labels = ['identity', 'class-reweight', 'frl-reweight'];
    expect(parallel.arms.map((arm) => arm.label)).toEqual(labels); // config order, whatever finished first
    expect(parallel.arms.map(withoutTimings)).toEqual(sequential.arms.map(withoutTimings));
    for (const label of labels) {
      const weights = (root: string) => readFile(path.join(out, root, 'workers', label, 'weights.bin'));
      expect((await weights('parallel')).equals(await weights('sequential')), label).toBe(true);
    }
    // the one comparison table, the same as the sequential one
    expect(printedParallel.at(-1)).toContain("comparison over 'fairness'");
    expect(printedParallel.at(-1)).toBe(printedSequential.at(-1));

    // Every arm ran in another process, and its batches, epochs and evaluation reached this one.
    for (const label of labels) {
      const started = lines.map((line) => new RegExp(`^\\[${label}\\] running in worker process (\\d+)$`).exec(line)).find(Boolean);
      expect(started, `${label} started in a worker`).toBeTruthy();
      expect(Number(started?.[1]), label).not.toBe(process.pid);
      const scopes = new Set(events.filter((event) => event.arm === label).map((event) => event.scope));
      expect([...scopes].sort(), label).toEqual(['batch', 'epoch', 'evaluation']);
      const epochEnds = events.filter((event) => event.arm === label && event.scope === 'epoch').map((event) => `${event.current}/${event.total}`);
      expect(epochEnds, label).toEqual(['1/2', '2/2']);
      const lastEvaluation = events.filter((event) => event.arm === label && event.scope === 'evaluation').at(-1);
      expect(lastEvaluation && lastEvaluation.current === lastEvaluation.total, label).toBe(true);
    }
  });

  it.skipIf(!built || !canRunTwo)('fails naming the arm and its error once the other running arm has finished', async () => {
    // frl-reweight reads the validation split, which this dataset lacks: it fails in its worker after epoch 1.
    const broken = config([{ value: { id: 'frl-reweight' } }, { value: { id: 'identity' } }], { validationPerClass: 0 });
    await expect(runExperiments(broken, { out: path.join(out, 'broken'), reporter: silentReporter, backend: 'cpu', workers: 2 })).rejects.toThrow(
      /arm 'frl-reweight' failed in its worker: .*validation split/,
    );
    expect(await hasResult(path.join(out, 'broken', 'workers', 'identity'))).toBe(true);
    expect(await hasResult(path.join(out, 'broken', 'workers', 'frl-reweight'))).toBe(false);
  });
});

describe(workerEnvironment, () => {
  it('gives each worker its share of the cores for wasm threads', () => {
    expect(workerEnvironment(2, { PATH: '/bin' }, 8)).toEqual({ PATH: '/bin', ROBUSTFAIR_WASM_THREADS: '4' });
    expect(workerEnvironment(3, {}, 8)['ROBUSTFAIR_WASM_THREADS']).toBe('2');
    expect(workerEnvironment(2, {}, 2)['ROBUSTFAIR_WASM_THREADS']).toBe('1');
    expect(workerEnvironment(4, { ROBUSTFAIR_WASM_THREADS: '' }, 2)['ROBUSTFAIR_WASM_THREADS']).toBe('1');
  });

  it('keeps a thread count the user set', () => {
    expect(workerEnvironment(2, { ROBUSTFAIR_WASM_THREADS: '3' }, 8)['ROBUSTFAIR_WASM_THREADS']).toBe('3');
  });
});
