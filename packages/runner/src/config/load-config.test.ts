import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InvalidOptionsError } from '@robustfair/spec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, mergeConfigs } from './load-config.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-load-config-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** Writes `text` to `name` under the test directory (creating folders) and returns its absolute path. */
async function write(name: string, text: string): Promise<string> {
  const file = path.join(directory, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  return file;
}

/** The error `promise` rejects with, which must be an InvalidOptionsError. */
async function failure(promise: Promise<unknown>): Promise<InvalidOptionsError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InvalidOptionsError);
  return error as InvalidOptionsError;
}

const base = {
  name: 'small',
  dataset: { id: 'synthetic', options: { numClasses: 3 } },
  model: { id: 'small-cnn', options: { width: 2 } },
  training: { epochs: 2, batchSize: 8, epsilon: '8/255' },
  evaluation: { attacks: ['pgd20', 'fgsm'] },
};

const yamlOfBase = `# the same config as \`base\`, in YAML
name: small
dataset:
  id: synthetic
  options: { numClasses: 3 }
model: { id: small-cnn, options: { width: 2 } }
training:
  epochs: 2
  batchSize: 8
  epsilon: 8/255
evaluation:
  attacks: [pgd20, fgsm]
`;

describe(loadConfig, () => {
  describe('JSON', () => {
    it('reads the spec and the compare block, and records the absolute file', async () => {
      const file = await write('plain.json', JSON.stringify({ ...base, compare: { field: 'fairness', arms: [{ value: { id: 'identity' } }, { value: { id: 'class-reweight' } }] } }));
      const loaded = await loadConfig(path.relative(process.cwd(), file));
      expect(loaded.file).toBe(file);
      expect(loaded.raw).toEqual(base);
      expect(loaded.spec.training).toMatchObject({ epochs: 2, batchSize: 8, epsilon: 8 / 255 });
      expect(loaded.compare?.arms.map((arm) => arm.value)).toEqual([{ id: 'identity' }, { id: 'class-reweight' }]);
    });

    it('names the file when it cannot be read', async () => {
      const missing = path.join(directory, 'missing.json');
      const error = await failure(loadConfig(missing));
      expect(error.issues).toEqual([{ path: missing, message: expect.stringMatching(/^cannot be read: .*ENOENT/) }]);
    });

    it('says where invalid JSON breaks (file, line and column)', async () => {
      const file = await write('broken.json', '{\n  "name": "x",\n  dataset: {}\n}\n');
      const error = await failure(loadConfig(file));
      expect(error.issues[0]?.path).toBe(file);
      expect(error.issues[0]?.message).toMatch(/^is not valid JSON: .*\(line 3, column 3\)$/);
    });

    it('rejects a file that does not hold an object', async () => {
      const file = await write('array.json', '[1, 2]');
      const error = await failure(loadConfig(file));
      expect(error.issues).toEqual([{ path: file, message: 'must hold a JSON object' }]);
    });

    it('names every bad field of the spec, with the file in the subject', async () => {
      const file = await write('bad-fields.json', JSON.stringify({ ...base, training: { epochs: 0 }, fairnes: { id: 'identity' } }));
      const error = await failure(loadConfig(file));
      expect(error.subject).toBe(`config ${file}`);
      expect(error.issues.map((issue) => issue.path).sort()).toEqual(['', 'training.epochs']);
      expect(error.message).toMatch(/unknown field\(s\) 'fairnes'/);
    });

    it('validates the compare block under the path compare', async () => {
      const file = await write('bad-compare.json', JSON.stringify({ ...base, compare: { field: 'fairness', arms: [{ value: { id: 'identity' } }] } }));
      const error = await failure(loadConfig(file));
      expect(error.issues).toEqual([{ path: 'compare.arms', message: 'a comparison needs at least two arms' }]);
    });

    it('applies --set overrides after reading (JSON values, else strings)', async () => {
      const file = await write('overrides.json', JSON.stringify(base));
      const loaded = await loadConfig(file, ['seed=3', 'fairness.id=class-reweight', 'training.epochs=5']);
      expect([loaded.spec.seed, loaded.spec.fairness.id, loaded.spec.training.epochs, loaded.spec.training.batchSize]).toEqual([3, 'class-reweight', 5, 8]);
    });
  });

  describe('YAML', () => {
    it.each(['config.yaml', 'config.yml', 'CONFIG.YAML'])('reads %s exactly as the equivalent JSON', async (name) => {
      const fromYaml = await loadConfig(await write(name, yamlOfBase));
      const fromJson = await loadConfig(await write(`${name}.json`, JSON.stringify(base)));
      expect(fromYaml.raw).toEqual(fromJson.raw);
      expect(fromYaml.spec).toEqual(fromJson.spec);
    });

    it('says where a syntax error is: the file, line and column', async () => {
      const file = await write('broken.yaml', 'name: x\ntraining:\n  epochs: [1, 2\nmodel: {}\n');
      const error = await failure(loadConfig(file));
      expect(error.issues).toHaveLength(1);
      expect(error.issues[0]?.path).toBe(file);
      expect(error.issues[0]?.message).toMatch(/^is not valid YAML \(line 4, column 1\): /);
    });

    it('rejects a key written twice, at its line', async () => {
      const file = await write('duplicate.yaml', 'name: x\nname: y\n');
      const error = await failure(loadConfig(file));
      expect(error.issues[0]?.message).toMatch(/^is not valid YAML \(line 2, column 1\): Map keys must be unique/);
    });

    it('rejects a document that is not a mapping (a list, or empty)', async () => {
      for (const [name, text] of [['list.yaml', '- a\n- b\n'], ['empty.yml', '# nothing\n']] as const) {
        const file = await write(name, text);
        const error = await failure(loadConfig(file));
        expect(error.issues).toEqual([{ path: file, message: 'must hold a YAML mapping (key: value pairs)' }]);
      }
    });

    it('resolves anchors, aliases and << merge keys', async () => {
      const file = await write(
        'anchors.yaml',
        `${yamlOfBase}trainingAttack: &attack { id: pgd, options: { steps: 3 } }\nteacher:\n  model: { id: small-cnn }\n  trainingAttack: { <<: *attack, id: pgd-l2 }\n  training: { epochs: 1 }\ndistiller: { id: rslad }\n`,
      );
      const loaded = await loadConfig(file);
      expect(loaded.spec.trainingAttack).toEqual({ id: 'pgd', options: { steps: 3 } });
      expect(loaded.spec.teacher?.trainingAttack).toEqual({ id: 'pgd-l2', options: { steps: 3 } });
    });

    it('ignores top-level x- keys, where anchors can live, but not x- keys deeper down', async () => {
      const file = await write(
        'extension.yaml',
        `x-attacks:\n  strong: &strong { id: pgd, options: { steps: 7 } }\n${yamlOfBase}compare:\n  arms:\n    - { label: a, set: { trainingAttack: *strong } }\n    - { label: b, set: { seed: 1 } }\n`,
      );
      const loaded = await loadConfig(file);
      expect(Object.keys(loaded.raw).some((key) => key.startsWith('x-'))).toBe(false);
      expect(loaded.compare?.arms[0]?.set).toEqual({ trainingAttack: { id: 'pgd', options: { steps: 7 } } });
      const nested = await write('nested-extension.json', JSON.stringify({ ...base, training: { ...base.training, 'x-note': 1 } }));
      expect((await failure(loadConfig(nested))).message).toMatch(/training: unknown field\(s\) 'x-note'/);
    });

    it('reports an alias without an anchor as invalid YAML', async () => {
      const file = await write('alias.yaml', 'name: *missing\n');
      const error = await failure(loadConfig(file));
      expect(error.issues[0]?.message).toMatch(/^is not valid YAML/);
    });
  });

  describe('$schema', () => {
    it('ignores a top-level $schema key (JSON and YAML) but rejects it deeper down', async () => {
      const json = await loadConfig(await write('schema.json', JSON.stringify({ $schema: './robustfair.config.schema.json', ...base })));
      const yaml = await loadConfig(await write('schema.yaml', `$schema: ./robustfair.config.schema.json\n${yamlOfBase}`));
      expect(json.raw).toEqual(base);
      expect(yaml.raw).toEqual(base);
      const nested = await write('nested-schema.json', JSON.stringify({ ...base, training: { ...base.training, $schema: 'x' } }));
      expect((await failure(loadConfig(nested))).message).toMatch(/training: unknown field\(s\) '\$schema'/);
    });
  });

  describe('extends', () => {
    it('deep-merges the base under the child: objects merge, arrays and scalars of the child win', async () => {
      await write('extends/base.yaml', `$schema: ../robustfair.config.schema.json\n${yamlOfBase}seed: 4\n`);
      const child = await write(
        'extends/child.json',
        JSON.stringify({
          $schema: '../robustfair.config.schema.json',
          extends: './base.yaml',
          name: 'child',
          training: { epochs: 7 },
          dataset: { options: { imageSize: 8 } },
          evaluation: { attacks: ['cw'] },
        }),
      );
      const loaded = await loadConfig(child);
      expect(loaded.file).toBe(child);
      expect(loaded.raw).toEqual({
        name: 'child',
        seed: 4,
        dataset: { id: 'synthetic', options: { numClasses: 3, imageSize: 8 } },
        model: { id: 'small-cnn', options: { width: 2 } },
        training: { epochs: 7, batchSize: 8, epsilon: '8/255' },
        evaluation: { attacks: ['cw'] },
      });
    });

    it('follows a chain of bases, each relative to the file that names it', async () => {
      await write('chain/a/root.json', JSON.stringify(base));
      await write('chain/b/middle.yaml', 'extends: ../a/root.json\ntraining:\n  batchSize: 16\n');
      const leaf = await write('chain/leaf.yml', 'extends: b/middle.yaml\nseed: 9\n');
      const loaded = await loadConfig(leaf);
      expect(loaded.spec.training).toMatchObject({ epochs: 2, batchSize: 16 });
      expect(loaded.spec.seed).toBe(9);
      expect(loaded.spec.name).toBe('small');
    });

    it("rewrites a base's relative plugin and teacher paths for the child's directory", async () => {
      await write(
        'paths/shared/base.json',
        JSON.stringify({
          ...base,
          plugins: ['./my-strategy.js', '../lib/other.js', 'some-package'],
          distiller: { id: 'rslad' },
          teacher: { model: { id: 'small-cnn' }, import: { file: 'weights/teacher.safetensors' } },
        }),
      );
      const child = await write('paths/runs/child.yaml', 'extends: ../shared/base.json\n');
      const loaded = await loadConfig(child);
      expect(loaded.spec.plugins).toEqual(['../shared/my-strategy.js', '../lib/other.js', 'some-package']);
      expect(loaded.spec.teacher?.import?.file).toBe('../shared/weights/teacher.safetensors');
      // A base in the same directory keeps its paths as written.
      const sibling = await write('paths/shared/sibling.yaml', 'extends: ./base.json\n');
      expect((await loadConfig(sibling)).spec.plugins).toEqual(['./my-strategy.js', '../lib/other.js', 'some-package']);
    });

    it('merges the compare block too, and applies overrides after the merge', async () => {
      await write('compare/base.json', JSON.stringify({ ...base, compare: { field: 'fairness', arms: [{ value: { id: 'identity' } }, { value: { id: 'class-reweight' } }] } }));
      const child = await write('compare/child.yaml', 'extends: base.json\ncompare:\n  field: training.epochs\n  arms: [{ value: 1 }, { value: 3 }]\n');
      const loaded = await loadConfig(child, ['training.batchSize=32']);
      expect(loaded.compare).toEqual({ field: 'training.epochs', arms: [{ value: 1 }, { value: 3 }] });
      expect(loaded.spec.training.batchSize).toBe(32);
    });

    it('rejects a cycle, listing the files in order', async () => {
      const first = await write('cycle/first.yaml', 'extends: ./second.json\n');
      const second = await write('cycle/second.json', JSON.stringify({ extends: './first.yaml', ...base }));
      const error = await failure(loadConfig(first));
      expect(error.issues).toEqual([{ path: second, message: `'extends' forms a cycle: ${first} → ${second} → ${first}` }]);
      const self = await write('cycle/self.json', JSON.stringify({ extends: 'self.json' }));
      expect((await failure(loadConfig(self))).issues[0]?.message).toBe(`'extends' forms a cycle: ${self} → ${self}`);
    });

    it('rejects an extends that is not a path, and names a base that cannot be read', async () => {
      const notPath = await write('bad-extends.json', JSON.stringify({ ...base, extends: ['a.json'] }));
      expect((await failure(loadConfig(notPath))).issues).toEqual([{ path: 'extends', message: 'expected the path of a base config file, relative to this one' }]);
      const missingBase = await write('missing-base.yaml', 'extends: ./nowhere.yaml\n');
      const error = await failure(loadConfig(missingBase));
      expect(error.issues[0]?.path).toBe(path.join(directory, 'nowhere.yaml'));
      expect(error.issues[0]?.message).toMatch(/^cannot be read/);
    });
  });
});

// Issue 13 items 6, 9 and 10: hostile config files fail by name, with the limit, echoing nothing.
describe('untrusted config files', () => {
  const message = async (promise: Promise<unknown>) => {
    const error = await failure(promise);
    return `${error.issues[0]?.path ?? ''}: ${error.issues[0]?.message ?? ''}`;
  };

  it('does not echo the content of an extended file it cannot parse (a system or binary file)', async () => {
    const secret = await write('untrusted/passwd', 'root:x:0:0:secret-token-123:/root:/bin/bash\n');
    const child = await write('untrusted/child.json', JSON.stringify({ ...base, extends: './passwd' }));
    const text = await message(loadConfig(child));
    expect(text).toBe(`${secret}: is not valid JSON: unexpected character 'r'`);
    const binary = await write('untrusted/blob.json', '\u0000\u0001\u0002ELF secret-token-456');
    await writeFile(path.join(directory, 'untrusted/child-binary.json'), JSON.stringify({ ...base, extends: './blob.json' }));
    expect(await message(loadConfig(path.join(directory, 'untrusted/child-binary.json')))).toBe(`${binary}: is not a text file (it holds NUL bytes); expected a JSON or YAML config`);
    await writeFile(path.join(directory, 'untrusted/not-utf8.yaml'), new Uint8Array([0x6e, 0x3a, 0xff, 0xfe]));
    expect(await message(loadConfig(path.join(directory, 'untrusted/not-utf8.yaml')))).toMatch(/not-utf8\.yaml: is not a text file \(not valid UTF-8\)/);
  });

  it.skipIf(process.platform === 'win32')('refuses a device or directory as a base instead of reading it forever', async () => {
    const child = await write('untrusted/zero.json', JSON.stringify({ ...base, extends: '/dev/zero' }));
    expect(await message(loadConfig(child))).toBe('/dev/zero: is not a regular file');
  });

  it('refuses a file larger than the limit, naming the limit', async () => {
    const big = await write('untrusted/big.json', `{"name": "x", "pad": "${'a'.repeat(1024 * 1024)}"}`);
    expect(await message(loadConfig(big))).toBe(`${big}: has ${1024 * 1024 + 24} bytes, more than the 1048576 a config file may have`);
  });

  it("refuses a '__proto__' key in an extended JSON or YAML config, naming the file and field", async () => {
    const json = await write('untrusted/proto-base.json', '{"training": {"__proto__": {"epochs": 1}}}');
    await write('untrusted/proto-child.json', JSON.stringify({ ...base, training: { batchSize: 8 }, extends: './proto-base.json' }));
    expect(await message(loadConfig(path.join(directory, 'untrusted/proto-child.json')))).toBe(`${json}: field 'training.__proto__': the key '__proto__' is not allowed in a config`);
    const yaml = await write('untrusted/proto.yaml', 'name: x\ntraining:\n  __proto__:\n    epochs: 1\n');
    expect(await message(loadConfig(yaml))).toMatch(new RegExp(`^${yaml.replaceAll(/[.\\/]/g, (character) => `\\${character}`)}: field 'training(\\.__proto__)?': `));
  });

  it('refuses nesting beyond 64 levels in JSON and YAML, naming the base file, without overflowing the stack', async () => {
    const deep = await write('untrusted/deep.json', `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`);
    await write('untrusted/deep-child.json', JSON.stringify({ ...base, extends: './deep.json' }));
    expect(await message(loadConfig(path.join(directory, 'untrusted/deep-child.json')))).toBe(`${deep}: nests deeper than 64 levels (at '${Array(64).fill('a').join('.')}')`);
    const deepYaml = await write('untrusted/deep.yaml', `${'['.repeat(50_000)}${']'.repeat(50_000)}\n`);
    expect(await message(loadConfig(deepYaml))).toMatch(/deep\.yaml: nests (deeper than 64 levels|too deeply to parse)/);
    // 64 levels exactly is fine as far as the limit goes (the spec then rejects the unknown field).
    const limit = await write('untrusted/limit.json', JSON.stringify({ ...base, extra: JSON.parse(`${'{"a":'.repeat(62)}1${'}'.repeat(62)}`) }));
    expect(await message(loadConfig(limit))).not.toMatch(/nests/);
  });

  it('bounds the --set path and refuses prototype keys in it', async () => {
    const file = await write('untrusted/ok.json', JSON.stringify(base));
    const long = `${Array(20_000).fill('a').join('.')}=1`;
    expect(await message(loadConfig(file, [long]))).toMatch(/: has 20000 path segments, at most 32 are allowed$/);
    expect(await message(loadConfig(file, ['training.__proto__.epochs=1']))).toBe("training.__proto__.epochs: the key '__proto__' is not allowed in a config");
    const deepValue = `x=${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    expect(await message(loadConfig(file, [deepValue]))).toMatch(/^--set x: nests deeper than 64 levels/);
  });

  it('bounds an extends chain', async () => {
    for (let index = 0; index < 40; index++) await write(`untrusted/chain-${index}.json`, JSON.stringify(index === 39 ? base : { extends: `./chain-${index + 1}.json` }));
    expect(await message(loadConfig(path.join(directory, 'untrusted/chain-0.json')))).toBe(`${path.join(directory, 'untrusted/chain-31.json')}: 'extends' chains more than 32 files`);
  });
});

describe(mergeConfigs, () => {
  it('merges objects recursively without mutating either input; the override wins elsewhere', () => {
    const left = { a: { b: 1, c: [1, 2] }, d: 'x', e: { f: 1 } };
    const right = { a: { c: [3], g: null }, d: { now: 'object' }, e: 'scalar' };
    const before = JSON.stringify([left, right]);
    expect(mergeConfigs(left, right)).toEqual({ a: { b: 1, c: [3], g: null }, d: { now: 'object' }, e: 'scalar' });
    expect(JSON.stringify([left, right])).toBe(before);
  });
});
