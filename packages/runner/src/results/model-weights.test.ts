import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSmallCnn } from '@robustfair/models';
import { RunFileError } from '@robustfair/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelWeights, saveModelWeights } from './model-weights.js';

// Issue 13 item 6: weights.json/weights.bin are untrusted; damage is an error naming file and field.

let directory: string;
const newModel = (seed: number) => createSmallCnn({ numClasses: 3, inputShape: [6, 6, 3], width: 2, seed });
const valuesOf = (model: ReturnType<typeof newModel>) => model.namedVariables().map(({ variable }) => Array.from(variable.dataSync()));

beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-weights-'));
  const source = newModel(1);
  await saveModelWeights(source, directory);
  source.dispose();
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** Loads into a fresh model after `damage` (undone afterwards); returns the error, if any, and whether the model changed. */
async function loadDamaged(file: string, damage: (bytes: Buffer) => Buffer | string): Promise<{ error: unknown; changed: boolean }> {
  const original = await readFile(path.join(directory, file));
  await writeFile(path.join(directory, file), damage(Buffer.from(original)));
  const model = newModel(2);
  const before = valuesOf(model);
  try {
    const error = await loadModelWeights(model, directory).then(() => undefined, (caught: unknown) => caught);
    return { error, changed: JSON.stringify(valuesOf(model)) !== JSON.stringify(before) };
  } finally {
    model.dispose();
    await writeFile(path.join(directory, file), original);
  }
}

const manifestEdit = (edit: (manifest: { weights: { offset: number; length: number; shape: number[] }[] }) => void) => (bytes: Buffer) => {
  const manifest = JSON.parse(bytes.toString('utf8')) as { weights: { offset: number; length: number; shape: number[] }[] };
  edit(manifest);
  return JSON.stringify(manifest);
};

describe(loadModelWeights, () => {
  it('round-trips the saved weights', async () => {
    const model = newModel(2);
    await loadModelWeights(model, directory);
    const reference = newModel(1);
    expect(valuesOf(model)).toEqual(valuesOf(reference));
    model.dispose();
    reference.dispose();
  });

  it.each([
    ['an edited offset', 'weights.json', manifestEdit((manifest) => void (manifest.weights[1]!.offset += 1)), /weights\.json: field 'weights\[1\]\.offset' is \d+, expected \d+ \(weights are stored back to back\)$/],
    ['a length that disagrees with the shape', 'weights.json', manifestEdit((manifest) => void (manifest.weights[0]!.length = 5)), /weights\.json: field 'weights\[0\]\.length' is 5, expected \d+ \(the product of its shape/],
    ['a negative offset', 'weights.json', manifestEdit((manifest) => void (manifest.weights[0]!.offset = -4)), /weights\.json: field 'weights\.0\.offset': Too small/],
    ['text that is not JSON', 'weights.json', () => '{"format": "robustfair-weights-v1", "weights": [', /weights\.json: is not valid JSON/],
    ['an unknown format', 'weights.json', () => '{"format": "v0", "weights": []}', /weights\.json: field 'format'/],
    ['a truncated binary', 'weights.bin', (bytes: Buffer) => bytes.subarray(0, bytes.length - 6), /weights\.bin: has \d+ bytes, expected \d+ \(\d+ float32 values/],
    ['a NaN value', 'weights.bin', (bytes: Buffer) => (bytes.writeFloatLE(Number.NaN, 8), bytes), /weights\.bin: weight '[\w.]+' holds a value that is not finite/],
  ] as const)('refuses %s, naming the file, and loads nothing', async (_, file, damage, message) => {
    const { error, changed } = await loadDamaged(file, damage);
    expect(error).toBeInstanceOf(RunFileError);
    expect((error as Error).message.startsWith(path.join(directory, file))).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect(changed).toBe(false);
  });

  it('names an emptied weights.bin (run last: it leaves the file empty)', async () => {
    await truncate(path.join(directory, 'weights.bin'), 0);
    const model = newModel(2);
    await expect(loadModelWeights(model, directory)).rejects.toThrow(`${path.join(directory, 'weights.bin')}: has 0 bytes`);
    model.dispose();
  });
});
