import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPgdAttack } from '@robustfair/attacks';
import { fit, selectBackend, type FitOptions } from '@robustfair/core';
import { createSyntheticDataset } from '@robustfair/datasets';
import { createTradesObjective } from '@robustfair/distillers';
import { createClassReweightStrategy } from '@robustfair/fairness-strategies';
import { createSmallCnn } from '@robustfair/models';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinBackendProviders } from './backend-providers.js';
import { createCheckpointStore } from './results/checkpoint-store.js';

// Issue 4, acceptance 4: a run interrupted mid-epoch and resumed from its last checkpoint ends
// with the same weights as an uninterrupted run (cpu backend, bit for bit).

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-resume-'));
  await selectBackend('cpu', builtinBackendProviders);
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
  await selectBackend((process.env['ROBUSTFAIR_BACKEND'] as 'cpu' | 'wasm' | undefined) ?? 'wasm', builtinBackendProviders);
});

const dataset = createSyntheticDataset({ numClasses: 3, imageSize: 6, trainPerClass: 8, validationPerClass: 0, testPerClass: 0 });
const options = (model: ReturnType<typeof createSmallCnn>): FitOptions => ({
  model,
  dataset,
  attack: createPgdAttack({ steps: 2, stepSize: 2 / 255, init: 'gaussian' }),
  objective: createTradesObjective({ beta: 6 }),
  fairness: createClassReweightStrategy(),
  epochs: 4,
  batchSize: 8,
  epsilon: 8 / 255,
  optimizer: { learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4, nesterov: false },
  schedule: { type: 'multistep', milestones: [2], factor: 0.1 },
  seed: 11,
});
const weightsOf = (model: ReturnType<typeof createSmallCnn>) => model.namedVariables().map(({ variable }) => Array.from(variable.dataSync()));
const newModel = () => createSmallCnn({ numClasses: 3, inputShape: [6, 6, 3], width: 2, seed: 5 });

describe('checkpoint and resume', () => {
  it('resumes from the last checkpoint after a crash in epoch 3 and ends bit-identical', async () => {
    const reference = newModel();
    const uninterrupted = await fit(options(reference));

    const crashed = newModel();
    const store = createCheckpointStore(path.join(directory, 'in-process'), 'spec-a');
    const crash = { id: 'crash', onBatchEnd: ({ epoch }: { epoch: number }) => { if (epoch === 2) throw new Error('simulated crash'); } };
    await expect(fit({ ...options(crashed), checkpoint: store, callbacks: [crash] })).rejects.toThrow('simulated crash');
    crashed.dispose();

    const checkpoint = await store.load();
    expect(checkpoint?.completedEpochs).toBe(2);
    const resumed = newModel();
    const continued = await fit({ ...options(resumed), checkpoint: store, resumeFrom: checkpoint! });
    expect(weightsOf(resumed)).toEqual(weightsOf(reference));
    expect(continued.strategyState).toEqual(uninterrupted.strategyState);
    expect(continued.epochs.map((epoch) => epoch.knobs)).toEqual(uninterrupted.epochs.map((epoch) => epoch.knobs));
    tf.dispose([]);
    reference.dispose();
    resumed.dispose();
  });

  it('refuses a checkpoint written by another spec', async () => {
    const store = createCheckpointStore(path.join(directory, 'in-process'), 'spec-b');
    await expect(store.load()).rejects.toThrow(/different spec/);
  });

  const bin = fileURLToPath(new URL('../../cli/dist/bin.js', import.meta.url));
  it.skipIf(!existsSync(bin))('survives SIGKILL mid-epoch: `train --resume DIR` ends with the uninterrupted weights', async () => {
    const config = path.join(directory, 'tiny.json');
    await writeFile(
      config,
      JSON.stringify({
        name: 'tiny',
        seed: 2,
        backend: 'cpu',
        dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 8, trainPerClass: 40, validationPerClass: 0, testPerClass: 4 } },
        model: { id: 'small-cnn', options: { width: 4 } },
        trainingAttack: { id: 'pgd', options: { steps: 3 } },
        fairness: { id: 'class-reweight' },
        training: { epochs: 4, batchSize: 10, optimizer: { learningRate: 0.05 } },
        evaluation: { batchSize: 12, attacks: [{ name: 'pgd2', attack: { id: 'pgd', options: { steps: 2 } } }] },
      }),
    );
    const run = (args: string[], killAfter?: RegExp) =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
        const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
        let log = '';
        child.stderr.on('data', (chunk: Buffer) => {
          log += chunk.toString();
          if (killAfter && killAfter.test(log)) child.kill('SIGKILL');
        });
        child.on('exit', (code, signal) => resolve({ code, signal }));
      });
    const straight = await run(['train', config, '--out', path.join(directory, 'straight')]);
    expect(straight.code).toBe(0);
    const killed = await run(['train', config, '--out', path.join(directory, 'killed')], /epoch 2\/4/);
    expect(killed.signal).toBe('SIGKILL');
    const armDirectory = path.join(directory, 'killed', 'tiny', 'tiny');
    // The progress line comes before that epoch's checkpoint is written, so the last one may be epoch 1 or 2.
    expect(JSON.parse(await readFile(path.join(armDirectory, 'checkpoint.json'), 'utf8')).completedEpochs).toBeGreaterThanOrEqual(1);
    // Mark the checkpointed epochs as 1000 s each: the resumed run's training time must count them.
    const pointer = JSON.parse(await readFile(path.join(armDirectory, 'checkpoint.json'), 'utf8')) as { directory: string; completedEpochs: number };
    const stateFile = path.join(armDirectory, pointer.directory, 'state.json');
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as { records: { seconds: number }[] };
    for (const record of state.records) record.seconds = 1000;
    await writeFile(stateFile, JSON.stringify(state));
    const resumed = await run(['train', '--resume', armDirectory]);
    expect(resumed.code).toBe(0);
    const result = JSON.parse(await readFile(path.join(armDirectory, 'result.json'), 'utf8')) as { training: { seconds: number; epochs: { seconds: number }[] } };
    expect(result.training.epochs.slice(0, pointer.completedEpochs).map((epoch) => epoch.seconds)).toEqual(Array(pointer.completedEpochs).fill(1000));
    expect(result.training.seconds).toBeGreaterThanOrEqual(1000 * pointer.completedEpochs);
    expect(result.training.seconds).toBeLessThan(1000 * pointer.completedEpochs + 300);
    const expected = await readFile(path.join(directory, 'straight', 'tiny', 'tiny', 'weights.bin'));
    const actual = await readFile(path.join(armDirectory, 'weights.bin'));
    expect(actual.equals(expected)).toBe(true);
    // The epoch log has each epoch once, whatever the kill left behind after the checkpoint.
    const logged = (await readFile(path.join(armDirectory, 'epochs.jsonl'), 'utf8')).trim().split('\n').map((line) => (JSON.parse(line) as { epoch: number }).epoch);
    expect(logged).toEqual([0, 1, 2, 3]);
  }, 300_000);
});
