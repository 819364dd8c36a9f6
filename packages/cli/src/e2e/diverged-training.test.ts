import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBin, runCliForStderr } from './run-cli.js';

// Issue 13 item 7 through the built CLI: a learning rate of 1e10 used to end with exit 0, a
// huge or NaN loss and "100 % class 0". Now it fails naming the epoch, or under
// training.onNonFinite 'stop' evaluates the last finite weights and flags result.json.

const bin = cliBin;

const run = runCliForStderr;

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-diverged-'));
  await writeFile(
    path.join(directory, 'diverging.json'),
    JSON.stringify({
      name: 'diverging',
      seed: 2,
      backend: 'cpu',
      dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 6, trainPerClass: 8, validationPerClass: 0, testPerClass: 4 } },
      model: { id: 'small-cnn', options: { width: 2 } },
      trainingAttack: { id: 'pgd', options: { steps: 1 } },
      // Epoch 1 at 0.01 is finite; the multistep jump to 1e10 from epoch 2 diverges.
      training: { epochs: 2, batchSize: 8, optimizer: { learningRate: 0.01 }, schedule: { type: 'multistep', milestones: [1], factor: 1e12 } },
      evaluation: { batchSize: 12, bootstrapResamples: 10, attacks: [{ name: 'pgd1', attack: { id: 'pgd', options: { steps: 1 } } }] },
    }),
  );
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe.skipIf(!existsSync(bin))('robustfair train on a diverging run', () => {
  it('exits non-zero naming the arm and epoch 2, and writes no result.json', async () => {
    const { code, stderr } = await run(['train', 'diverging.json', '--out', 'fail', '-q'], directory);
    expect(code, stderr).not.toBe(0);
    expect(stderr).toMatch(/\[diverging\] training diverged in epoch 2(, batch \d+)?: the (training loss|weights)/);
    expect(existsSync(path.join(directory, 'fail', 'diverging', 'diverging', 'result.json'))).toBe(false);
    // The last checkpoint is the finite epoch 1, never the diverged epoch.
    const pointer = JSON.parse(await readFile(path.join(directory, 'fail', 'diverging', 'diverging', 'checkpoint.json'), 'utf8')) as { completedEpochs: number };
    expect(pointer.completedEpochs).toBe(1);
  }, 120_000);

  it("under training.onNonFinite 'stop', finishes with the epoch-1 weights and flags result.json", async () => {
    const { code, stderr } = await run(['train', 'diverging.json', '--out', 'stop', '--set', 'training.onNonFinite=stop', '-q'], directory);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(await readFile(path.join(directory, 'stop', 'diverging', 'diverging', 'result.json'), 'utf8')) as {
      training: { epochs: unknown[]; diverged?: { epoch: number }; stopped?: string };
    };
    expect(result.training.diverged?.epoch).toBe(1);
    expect(result.training.epochs).toHaveLength(1);
    expect(result.training.stopped).toMatch(/^training diverged in epoch 2/);
    // The saved weights are finite (the epoch's starting weights were restored).
    const weights = new Float32Array((await readFile(path.join(directory, 'stop', 'diverging', 'diverging', 'weights.bin'))).buffer.slice(0));
    expect(weights.length).toBeGreaterThan(0);
    expect(weights.every(Number.isFinite)).toBe(true);
  }, 120_000);
});
