import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FitCheckpoint } from '@robustfair/core';
import { RunFileError } from '@robustfair/spec';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCheckpointStore } from './checkpoint-store.js';

// Issue 13, items 1 and 6: what a run reads from its own directory is untrusted. The store never
// deletes a folder it did not name itself, and every damaged file is refused with its name.

let root: string;
let arm: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'robustfair-checkpoints-'));
  arm = path.join(root, 'runs', 'study', 'arm');
  await mkdir(arm, { recursive: true });
});
afterEach(async () => rm(root, { recursive: true, force: true }));

const record = (epoch: number) => ({ epoch, learningRate: 0.1, knobs: {}, statistics: {}, seconds: 1.5 });
const checkpoint = (completedEpochs: number, value = 1): FitCheckpoint =>
  ({
    completedEpochs,
    strategyState: { step: completedEpochs },
    records: Array.from({ length: completedEpochs }, (_, epoch) => record(epoch)),
    callbackStates: {},
    weights: [new Float32Array([value, 2, 3]), new Float32Array([4, 5])],
    momentum: [new Float32Array([0.5, 0.5, 0.5]), null],
  }) as unknown as FitCheckpoint;

const pointer = (directory: string, completedEpochs = 1) =>
  writeFile(path.join(arm, 'checkpoint.json'), JSON.stringify({ format: 'robustfair-checkpoint-v1', completedEpochs, directory, specHash: 'hash-a' }));

describe('checkpoint store: deletes only what it wrote', () => {
  for (const directory of ['../../../victim', '../victim', '.', '..', '/tmp', 'checkpoint-1/../../victim', 'results']) {
    it(`keeps everything when checkpoint.json names '${directory}'`, async () => {
      const victim = path.join(root, 'victim');
      await mkdir(victim);
      await writeFile(path.join(victim, 'precious.txt'), 'keep me');
      await writeFile(path.join(arm, 'result.json'), '{}');
      await pointer(directory);
      await createCheckpointStore(arm, 'hash-a').save(checkpoint(2));
      expect(existsSync(path.join(victim, 'precious.txt'))).toBe(true);
      expect(existsSync(path.join(arm, 'result.json'))).toBe(true);
      expect(existsSync(path.join(arm, 'checkpoint-2', 'tensors.bin'))).toBe(true);
    });
  }

  it('replaces its own previous checkpoint folder', async () => {
    const store = createCheckpointStore(arm, 'hash-a');
    await store.save(checkpoint(1));
    await store.save(checkpoint(2));
    expect(existsSync(path.join(arm, 'checkpoint-1'))).toBe(false);
    expect((await store.load())?.completedEpochs).toBe(2);
  });

  it('refuses to load a pointer whose directory is not the one it names', async () => {
    await pointer('../../../victim');
    await expect(createCheckpointStore(arm, 'hash-a').load()).rejects.toThrow(/checkpoint\.json: field 'directory'/);
    await pointer('checkpoint-7', 2);
    await expect(createCheckpointStore(arm, 'hash-a').load()).rejects.toThrow(/expected 'checkpoint-2'/);
  });
});

describe('checkpoint store: damaged files are errors that name the file and field', () => {
  const saved = async () => {
    const store = createCheckpointStore(arm, 'hash-a', { epochs: 5 });
    await store.save(checkpoint(2));
    return store;
  };
  const stateFile = () => path.join(arm, 'checkpoint-2', 'state.json');
  const editState = async (edit: (state: Record<string, unknown>) => void) => {
    const state = JSON.parse(await readFile(stateFile(), 'utf8')) as Record<string, unknown>;
    edit(state);
    await writeFile(stateFile(), JSON.stringify(state));
  };

  it('round-trips a checkpoint', async () => {
    const loaded = await (await saved()).load();
    expect(loaded?.completedEpochs).toBe(2);
    expect(Array.from(loaded?.weights[1] ?? [])).toEqual([4, 5]);
    expect(loaded?.momentum[1]).toBeNull();
  });

  it('a corrupt checkpoint.json is an error, not a silent restart from epoch 0', async () => {
    const store = await saved();
    await writeFile(path.join(arm, 'checkpoint.json'), '{"format": "robustfair-checkpoint-v1", "complet');
    const error = await store.load().catch((caught: unknown) => caught);
    expect(RunFileError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/checkpoint\.json: is not valid JSON/);
  });

  it('completedEpochs beyond the spec is refused', async () => {
    const store = createCheckpointStore(arm, 'hash-a', { epochs: 5 });
    await store.save(checkpoint(2));
    await pointer('checkpoint-99', 99);
    await expect(store.load()).rejects.toThrow(/completedEpochs' is 99, expected at most the spec's 5 epochs/);
  });

  it('state.json that disagrees with the pointer is refused', async () => {
    const store = await saved();
    await editState((state) => (state['completedEpochs'] = 99));
    await expect(store.load()).rejects.toThrow(/state\.json: field 'completedEpochs' is 99, expected 2/);
  });

  it('an edited offset is refused instead of loading shifted weights', async () => {
    const store = await saved();
    await editState((state) => ((state['weights'] as { offset: number }[])[1]!.offset = 2));
    await expect(store.load()).rejects.toThrow(/state\.json: field 'weights\[1\]\.offset' is 2, expected 3/);
  });

  it('a wrong field type names the field', async () => {
    const store = await saved();
    await editState((state) => (state['weights'] = 'none'));
    await expect(store.load()).rejects.toThrow(/state\.json: field 'weights': /);
  });

  it("an epoch's seconds (which a resumed run's training time adds) must be a number ≥ 0", async () => {
    const store = await saved();
    await editState((state) => ((state['records'] as { seconds: number }[])[1]!.seconds = -3));
    await expect(store.load()).rejects.toThrow(/state\.json: field 'records\.1\.seconds': Too small: expected number to be >=0/);
  });

  it('a truncated tensor file is refused with its name', async () => {
    const store = await saved();
    const tensors = path.join(arm, 'checkpoint-2', 'tensors.bin');
    const bytes = await readFile(tensors);
    await writeFile(tensors, bytes.subarray(0, bytes.length - 2));
    await expect(store.load()).rejects.toThrow(/tensors\.bin: has 30 bytes, expected a whole number of float32 values/);
    await writeFile(tensors, bytes.subarray(0, bytes.length - 4));
    await expect(store.load()).rejects.toThrow(/tensors\.bin: holds 7 values, but 'momentum\[0\]' of state\.json needs 8/);
  });

  it('a missing state file is named', async () => {
    const store = await saved();
    await rm(stateFile());
    await expect(store.load()).rejects.toThrow(/state\.json: is missing/);
  });

  it('non-finite weights are refused', async () => {
    const store = createCheckpointStore(arm, 'hash-a');
    await store.save(checkpoint(1, Number.NaN));
    await expect(store.load()).rejects.toThrow(/weights\[0\] holds a value that is not finite/);
  });

  it("resumes an older version's checkpoint of the same arm only when its hash is accepted", async () => {
    await (await saved()).save(checkpoint(2));
    expect((await createCheckpointStore(arm, 'hash-b', { acceptedHashes: ['hash-a'] }).load())?.completedEpochs).toBe(2);
    await expect(createCheckpointStore(arm, 'hash-b', { acceptedHashes: ['hash-c'] }).load()).rejects.toThrow(/written by a different spec/);
  });

  it('a checkpoint of another spec is refused', async () => {
    await (await saved()).save(checkpoint(2));
    await expect(createCheckpointStore(arm, 'hash-b').load()).rejects.toThrow(/written by a different spec/);
  });
});
