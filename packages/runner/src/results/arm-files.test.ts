import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RunFileError } from '@robustfair/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentSpec } from '../config/load-config.js';
import { readArmManifest } from './arm-files.js';
import { specHash } from './checkpoint-store.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-arm-files-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const spec = parseExperimentSpec({
  name: 'tiny',
  dataset: { id: 'synthetic', options: { numClasses: 3 } },
  model: { id: 'small-cnn' },
  training: { epochs: 2 },
  evaluation: { attacks: ['pgd20', { preset: 'aa', overrides: { version: 'rand' } }] },
});
const manifest = { schemaVersion: 1, name: 'tiny', label: 'identity', configFile: path.resolve('tiny.json'), out: path.resolve('runs'), specHash: specHash(spec), spec };
/** The manifest with another spec and that spec's own hash: consistent, but not a valid spec. */
const withSpec = (other: Record<string, unknown>) => ({ ...manifest, spec: other, specHash: specHash(other) });
const { selection: _selection, ...withoutSelection } = spec;
const write = async (value: unknown) => {
  await writeFile(path.join(directory, 'spec.json'), typeof value === 'string' ? value : JSON.stringify(value));
};

describe(readArmManifest, () => {
  it('reads back what a run writes, with the spec hashing as recorded', async () => {
    await write(manifest);
    const read = await readArmManifest(directory);
    expect(read.spec).toEqual(spec);
    expect(specHash(read.spec)).toBe(manifest.specHash);
  });

  it.each([
    ['a spec edited after the run started', { ...manifest, spec: { ...spec, seed: 7 } }, /field 'specHash' is '[0-9a-f]{16}', but field 'spec' hashes to/],
    ['a label that leaves the comparison', { ...manifest, label: '..' }, /field 'label': a directory name/],
    ['a damaged spec (its hash recomputed)', withSpec({ ...spec, training: { epochs: 'two' } }), /field 'spec\.training\.epochs'/],
    [
      'a spec written by another version whose recorded value today parses differently',
      withSpec({ ...spec, training: { ...spec.training, epsilon: '8/255' } }),
      /field 'spec\.training\.epsilon' was written by another version/,
    ],
    ['a relative config path', { ...manifest, configFile: 'tiny.json' }, /field 'configFile': an absolute path/],
    ['not JSON', '{"schemaVersion": 1,', /is not valid JSON/],
  ])('refuses %s, naming the file and the field', async (_case, value, problem) => {
    await write(value);
    const reading = readArmManifest(directory);
    await expect(reading).rejects.toBeInstanceOf(RunFileError);
    await expect(reading).rejects.toThrow(`${path.join(directory, 'spec.json')}: `);
    await expect(reading).rejects.toThrow(problem);
  });

  it('reads a spec an older version wrote without a field today defaults, and keeps the hash its checkpoints carry', async () => {
    await write(withSpec(withoutSelection));
    const read = await readArmManifest(directory);
    expect(read.spec).toEqual(spec);
    expect(read.specHash).toBe(specHash(spec));
    expect(read.previousSpecHash).toBe(specHash(withoutSelection));
  });

  it('names a missing spec.json', async () => {
    await expect(readArmManifest(path.join(directory, 'nothing'))).rejects.toThrow(`${path.join(directory, 'nothing', 'spec.json')}: is missing`);
  });
});
