import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBin, runCliForStderr } from './run-cli.js';

// Issue 13 items 6, 9, 10: a corpus of damaged and hostile files, each run through the built CLI
// (the real entry point), must fail with a message that names the file (or the option) and
// what was expected, never with a raw JavaScript error.

const bin = cliBin;

/** Messages of a JavaScript error that escaped unexplained. */
const rawJavaScript = /Cannot read propert|Invalid typed array length|Maximum call stack|is not a function|is not iterable|Array buffer allocation failed|should be a multiple of|Unexpected token .*is not valid JSON|^\s+at .*\.js:\d+/m;

const run = runCliForStderr;

const config = {
  name: 'tiny',
  seed: 1,
  backend: 'cpu',
  dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 6, trainPerClass: 4, validationPerClass: 0, testPerClass: 2 } },
  model: { id: 'small-cnn', options: { width: 2 } },
  trainingAttack: { id: 'pgd', options: { steps: 1 } },
  training: { epochs: 1, batchSize: 6 },
  evaluation: { batchSize: 6, bootstrapResamples: 10, attacks: [{ name: 'pgd1', attack: { id: 'pgd', options: { steps: 1 } } }] },
};

/** A safetensors file from a header object (or raw header text) and data bytes, laid out by hand. */
function safetensors(header: object | string, dataBytes: number, headerLength?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + dataBytes);
  new DataView(bytes.buffer).setBigUint64(0, headerLength ?? BigInt(json.length), true);
  bytes.set(json, 8);
  return bytes;
}

interface DamagedCase {
  readonly name: string;
  /** Writes the damaged files under `directory`; returns the CLI arguments. */
  readonly prepare: (directory: string) => Promise<readonly string[]>;
  /** What the message must name (the file, the field), relative to the case directory when a path. */
  readonly mentions: (directory: string) => readonly (string | RegExp)[];
}

let root: string;
let trained: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'robustfair-damaged-'));
  if (!existsSync(bin)) return;
  await writeFile(path.join(root, 'tiny.json'), JSON.stringify(config));
  const training = await run(['train', 'tiny.json', '--out', 'runs', '-q'], root);
  expect(training.code, training.stderr).toBe(0);
  trained = path.join(root, 'runs', 'tiny', 'tiny');
}, 120_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A copy of the trained arm directory in the case's directory, damaged by `damage`. */
async function damagedArm(directory: string, damage: (arm: string) => Promise<void>): Promise<string> {
  const arm = path.join(directory, 'arm');
  await cp(trained, arm, { recursive: true });
  await damage(arm);
  return arm;
}

/** The slot lists of weights.json and state.json, the fields the cases edit. */
type SlotFile = { weights: { offset: number; length: number }[] };

async function editJson(file: string, edit: (value: SlotFile) => void): Promise<void> {
  const value = JSON.parse(await readFile(file, 'utf8')) as SlotFile;
  edit(value);
  await writeFile(file, JSON.stringify(value));
}

const evalWeights = (arm: string) => ['eval', path.join(root, 'tiny.json'), '--weights', arm, '-q'];
const evalCheckpoint = (arm: string) => ['eval', path.join(root, 'tiny.json'), '--checkpoint', arm, '-q'];

/** A config importing `teacher.safetensors` from its directory, the file written from `bytes`. */
async function teacherImport(directory: string, bytes: Uint8Array): Promise<readonly string[]> {
  await writeFile(path.join(directory, 'teacher.safetensors'), bytes);
  const file = path.join(directory, 'student.json');
  await writeFile(
    file,
    JSON.stringify({ ...config, name: 'student', distiller: { id: 'rslad' }, teacher: { model: { id: 'small-cnn', options: { width: 2 } }, import: { file: 'teacher.safetensors' } } }),
  );
  return ['train', file, '--out', path.join(directory, 'runs'), '-q'];
}

/** A config file `name` with `text`, validated. */
async function validate(directory: string, name: string, text: string | Uint8Array, extra: readonly string[] = []): Promise<readonly string[]> {
  await writeFile(path.join(directory, name), text);
  return ['validate', path.join(directory, name), ...extra];
}

const child = (extendsPath: string) => JSON.stringify({ ...config, extends: extendsPath });

const cases: readonly DamagedCase[] = [
  // weights.json / weights.bin (robustfair eval --weights)
  {
    name: 'weights.json with an edited offset',
    prepare: async (directory) => evalWeights(await damagedArm(directory, (arm) => editJson(path.join(arm, 'weights.json'), (value) => void (value.weights[1]!.offset += 1)))),
    mentions: (directory) => [path.join(directory, 'arm', 'weights.json'), "field 'weights[1].offset'", /expected \d+/],
  },
  {
    name: 'weights.json whose length disagrees with its shape',
    prepare: async (directory) => evalWeights(await damagedArm(directory, (arm) => editJson(path.join(arm, 'weights.json'), (value) => void (value.weights[0]!.length -= 1)))),
    mentions: (directory) => [path.join(directory, 'arm', 'weights.json'), "field 'weights[0].length'", 'product of its shape'],
  },
  {
    name: 'weights.bin truncated (not a multiple of 4)',
    prepare: async (directory) => evalWeights(await damagedArm(directory, async (arm) => truncate(path.join(arm, 'weights.bin'), 10))),
    mentions: (directory) => [path.join(directory, 'arm', 'weights.bin'), 'has 10 bytes, expected'],
  },
  {
    name: 'weights.json that is not JSON',
    prepare: async (directory) => evalWeights(await damagedArm(directory, (arm) => writeFile(path.join(arm, 'weights.json'), '{"format": "robustfair-weights-v1", "weights": ['))),
    mentions: (directory) => [path.join(directory, 'arm', 'weights.json'), 'is not valid JSON'],
  },
  {
    name: 'weights.json with wrong field types',
    prepare: async (directory) => evalWeights(await damagedArm(directory, (arm) => writeFile(path.join(arm, 'weights.json'), '{"format": "robustfair-weights-v1", "weights": [{"name": 3}]}'))),
    mentions: (directory) => [path.join(directory, 'arm', 'weights.json'), "field 'weights.0.name'"],
  },
  {
    name: 'weights.bin holding NaN',
    prepare: async (directory) =>
      evalWeights(
        await damagedArm(directory, async (arm) => {
          const bytes = await readFile(path.join(arm, 'weights.bin'));
          bytes.writeFloatLE(Number.NaN, 0);
          await writeFile(path.join(arm, 'weights.bin'), bytes);
        }),
      ),
    mentions: (directory) => [path.join(directory, 'arm', 'weights.bin'), 'not finite'],
  },
  // checkpoint.json / state.json / tensors.bin (robustfair eval --checkpoint; the checkpoint store's checks)
  {
    name: 'checkpoint.json that is not JSON',
    prepare: async (directory) => evalCheckpoint(await damagedArm(directory, (arm) => writeFile(path.join(arm, 'checkpoint.json'), '{"format":'))),
    mentions: (directory) => [path.join(directory, 'arm', 'checkpoint.json'), 'is not valid JSON'],
  },
  {
    name: 'state.json with an edited slot offset',
    prepare: async (directory) => evalCheckpoint(await damagedArm(directory, (arm) => editJson(path.join(arm, 'checkpoint-1', 'state.json'), (value) => void (value.weights[2]!.offset += 4)))),
    mentions: (directory) => [path.join(directory, 'arm', 'checkpoint-1', 'state.json'), "field 'weights[2].offset'"],
  },
  {
    name: 'tensors.bin truncated',
    prepare: async (directory) => evalCheckpoint(await damagedArm(directory, (arm) => truncate(path.join(arm, 'checkpoint-1', 'tensors.bin'), 6))),
    mentions: (directory) => [path.join(directory, 'arm', 'checkpoint-1', 'tensors.bin'), 'truncated'],
  },
  // safetensors (teacher.import.file of robustfair train)
  {
    name: 'safetensors shorter than its 8-byte header length',
    prepare: (directory) => teacherImport(directory, new Uint8Array(5)),
    mentions: (directory) => [path.join(directory, 'teacher.safetensors'), 'shorter than the 8-byte header length'],
  },
  {
    name: 'safetensors with a huge header length',
    prepare: (directory) => teacherImport(directory, safetensors({}, 0, 2n ** 40n)),
    mentions: (directory) => [path.join(directory, 'teacher.safetensors'), 'exceeds the limit of 100000000 bytes'],
  },
  {
    name: 'safetensors with a truncated header',
    prepare: (directory) => teacherImport(directory, safetensors({ 'conv1.weight': { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 0, 4000n)),
    mentions: (directory) => [path.join(directory, 'teacher.safetensors'), 'truncated file'],
  },
  {
    name: 'safetensors with overlapping tensors',
    prepare: (directory) =>
      teacherImport(directory, safetensors({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 12)),
    mentions: (directory) => [path.join(directory, 'teacher.safetensors'), "'b': data_offsets [4, 12] overlap 'a'"],
  },
  {
    name: 'safetensors with an unknown dtype',
    prepare: (directory) => teacherImport(directory, safetensors({ a: { dtype: 'Q4', shape: [2], data_offsets: [0, 1] } }, 1)),
    mentions: (directory) => [path.join(directory, 'teacher.safetensors'), 'unknown dtype "Q4"'],
  },
  {
    name: 'safetensors with a non-float dtype for a weight',
    prepare: (directory) => teacherImport(directory, safetensors({ 'fc.bias': { dtype: 'I64', shape: [3], data_offsets: [0, 24] } }, 24)),
    mentions: (directory) => [path.join(directory, 'teacher.safetensors'), 'fc.bias: dtype I64, expected one of F32, F16, BF16, F64'],
  },
  {
    name: 'safetensors whose header is not JSON',
    prepare: (directory) => teacherImport(directory, safetensors('{"a": {"dtype": ', 0)),
    mentions: (directory) => [path.join(directory, 'teacher.safetensors'), 'header is not UTF-8 JSON'],
  },
  // config files (robustfair validate)
  {
    name: 'config with bad YAML',
    prepare: (directory) => validate(directory, 'bad.yaml', 'name: x\n  dataset: [\n'),
    mentions: (directory) => [path.join(directory, 'bad.yaml'), 'is not valid YAML (line'],
  },
  {
    name: 'config with bad JSON',
    prepare: (directory) => validate(directory, 'bad.json', '{"name": "x",, }'),
    mentions: (directory) => [path.join(directory, 'bad.json'), 'is not valid JSON'],
  },
  {
    name: 'config extending a deeply nested base',
    prepare: async (directory) => {
      await writeFile(path.join(directory, 'deep.json'), `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`);
      return validate(directory, 'child.json', child('./deep.json'));
    },
    mentions: (directory) => [path.join(directory, 'deep.json'), 'nests deeper than 64 levels'],
  },
  {
    name: 'config extending a base with a __proto__ key',
    prepare: async (directory) => {
      await writeFile(path.join(directory, 'proto.json'), '{"training": {"__proto__": {"epochs": 1}}}');
      return validate(directory, 'child.json', child('./proto.json'));
    },
    mentions: (directory) => [path.join(directory, 'proto.json'), "field 'training.__proto__'"],
  },
  {
    name: 'config extending a binary file',
    prepare: async (directory) => {
      await writeFile(path.join(directory, 'blob.bin'), new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3]));
      return validate(directory, 'child.json', child('./blob.bin'));
    },
    mentions: (directory) => [path.join(directory, 'blob.bin'), 'is not a text file'],
  },
  {
    name: 'config extending a system-like text file (its content is not echoed)',
    prepare: async (directory) => {
      await writeFile(path.join(directory, 'passwd'), 'root:x:0:0:secret-token:/root:/bin/bash\n');
      return validate(directory, 'child.json', child('./passwd'));
    },
    mentions: (directory) => [path.join(directory, 'passwd'), 'is not valid JSON', /^(?![\s\S]*secret-token)/],
  },
  {
    name: '--set with 20,000 path segments',
    prepare: (directory) => validate(directory, 'ok.json', JSON.stringify(config), ['--set', `${Array(20_000).fill('a').join('.')}=1`]),
    mentions: () => ['has 20000 path segments, at most 32 are allowed'],
  },
  {
    name: 'sizes beyond the limits (numClasses 1e6, width 1e9, trainPerClass 1e12)',
    prepare: (directory) =>
      validate(directory, 'huge.json', JSON.stringify({ ...config, dataset: { id: 'synthetic', options: { numClasses: 1e6, trainPerClass: 1e12 } }, model: { id: 'small-cnn', options: { width: 1e9 } } })),
    mentions: (directory) => [path.join(directory, 'huge.json'), 'dataset.options.numClasses: Too big: expected number to be <=1000', 'dataset.options.trainPerClass: Too big: expected number to be <=1000000'],
  },
  {
    name: 'a model width beyond the limit',
    prepare: (directory) => validate(directory, 'wide.json', JSON.stringify({ ...config, model: { id: 'small-cnn', options: { width: 1e9 } } })),
    mentions: (directory) => [path.join(directory, 'wide.json'), 'model.options.width: Too big: expected number to be <=1024'],
  },
  {
    name: 'bootstrapResamples beyond the limit',
    prepare: (directory) => validate(directory, 'boot.json', JSON.stringify({ ...config, evaluation: { ...config.evaluation, bootstrapResamples: 1e9 } })),
    mentions: (directory) => [path.join(directory, 'boot.json'), 'evaluation.bootstrapResamples: Too big: expected number to be <=100000'],
  },
];

describe.skipIf(!existsSync(bin))('damaged and hostile files through the CLI', () => {
  // Concurrent: each case is a separate CLI process, mostly waiting on module loading.
  it.concurrent.each(cases.map((entry) => [entry.name, entry] as const))('%s: fails naming the file and what was expected', async (_, entry) => {
    const directory = path.join(root, entry.name.replace(/[^\w]+/g, '-'));
    await mkdir(directory, { recursive: true });
    const { code, stderr } = await run(await entry.prepare(directory), directory);
    expect(code, stderr).not.toBe(0);
    for (const mention of entry.mentions(directory)) {
      if (typeof mention === 'string') expect(stderr).toContain(mention);
      else expect(stderr).toMatch(mention);
    }
    expect(stderr).not.toMatch(rawJavaScript);
  }, 60_000);
});
