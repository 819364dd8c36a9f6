import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import Ajv from 'ajv';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineFairnessStrategyPlugin, type AnyPluginDescriptor } from '@robustfair/spec';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRootContainer } from '../di/root-container.js';
import { registeredPlugins } from '../di/registered-plugins.js';
import { silentReporter } from '../progress/progress-reporter.js';
import { configJsonSchemaPath, createConfigJsonSchema, formatConfigJsonSchema, type JsonSchema } from './config-json-schema.js';
import { experimentSpecSchema } from './experiment-spec.js';

const runnerDirectory = fileURLToPath(new URL('../../', import.meta.url));
const committedFile = path.join(runnerDirectory, configJsonSchemaPath);
const examplesDirectory = fileURLToPath(new URL('../../../../examples/', import.meta.url));

const builtins = registeredPlugins(createRootContainer({ reporter: silentReporter }));
const schema = createConfigJsonSchema(builtins);

type Validate = ((data: unknown) => boolean) & { errors?: readonly { dataPath: string; message: string }[] | null };

/** An independent draft-07 validator (ajv 6, the last major with draft-07 as its default), as editors read the schema. */
function compile(json: JsonSchema): Validate {
  return new Ajv({ allErrors: true }).compile(json) as unknown as Validate;
}

const validate = compile(schema);
const errorsOf = (config: unknown) => (validate(config) ? [] : (validate.errors ?? []).map((error) => `${error.dataPath} ${error.message}`));

const minimal = { dataset: { id: 'synthetic' }, model: { id: 'small-cnn' }, training: { epochs: 1 } };

describe('the committed JSON Schema (packages/runner/schema/robustfair.config.schema.json)', () => {
  it('is what the zod schemas and the built-in plugins generate today', () => {
    const generated = formatConfigJsonSchema(schema);
    if (process.env['ROBUSTFAIR_WRITE_SCHEMA'] === '1') writeFileSync(committedFile, generated);
    let committed = '';
    try {
      committed = readFileSync(committedFile, 'utf8');
    } catch {
      // missing: reported below
    }
    const regenerate =
      `packages/runner/${configJsonSchemaPath} is out of date with the zod schemas or the built-in plugins. Regenerate it with\n` +
      `  ROBUSTFAIR_WRITE_SCHEMA=1 pnpm vitest run packages/runner/src/config/config-json-schema.test.ts\n` +
      `or, after a build, node packages/cli/dist/bin.js schema --out packages/runner/${configJsonSchemaPath}`;
    expect(committed === generated, regenerate).toBe(true);
  });
});

describe(createConfigJsonSchema, () => {
  it('describes every field of the spec, plus $schema, extends and compare', () => {
    const definitions = schema['definitions'] as Record<string, JsonSchema>;
    for (const name of ['config', 'config-extending']) {
      const properties = Object.keys(definitions[name]?.['properties'] as object);
      expect(properties.sort()).toEqual(['$schema', 'extends', 'compare', ...Object.keys(experimentSpecSchema.shape)].sort());
    }
  });

  it('gives every field of a config a description (what an editor shows), plugin options of the main plugins too', () => {
    const definitions = schema['definitions'] as Record<string, JsonSchema>;
    const undescribed: string[] = [];
    // Every `properties` entry reachable inside a definition, without following `$ref`s or `if` conditions.
    const walk = (node: unknown, at: string): void => {
      if (Array.isArray(node)) return node.forEach((item) => walk(item, at));
      if (typeof node !== 'object' || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'if') continue;
        if (key === 'properties') {
          for (const [field, inner] of Object.entries(value as Record<string, JsonSchema>)) {
            if (typeof inner['description'] !== 'string' || inner['description'] === '') undescribed.push(`${at}.${field}`);
            walk(inner, `${at}.${field}`);
          }
        } else walk(value, at);
      }
    };
    for (const name of ['config', 'config-extending', 'dataset.options.cifar10', 'dataset.options.tiny-imagenet', 'attack.options.pgd', 'attack.options.autoattack', 'fairness-strategy.options.absld', 'fairness-strategy.options.class-reweight']) {
      expect(definitions[name], name).toBeTypeOf('object');
      walk(definitions[name], name);
    }
    expect(undescribed.filter((field) => !/\.(validation|augmentation)\./.test(field))).toEqual([]);
    const training = (definitions['config']?.['properties'] as Record<string, JsonSchema>)['training']?.['properties'] as Record<string, JsonSchema>;
    expect(training['epsilon']?.['description']).toMatch(/8\/255/);
    const cifar10 = definitions['dataset.options.cifar10']?.['properties'] as Record<string, JsonSchema>;
    expect(cifar10['subset']?.['description']).toMatch(/CPU/);
  });

  it('offers every registered plugin id of a kind for completion, and links its options schema', () => {
    const definitions = schema['definitions'] as Record<string, JsonSchema>;
    for (const kind of ['dataset', 'model', 'objective', 'attack', 'distiller', 'fairness-strategy', 'callback'] as const) {
      const plugins = builtins.filter((plugin) => plugin.kind === kind);
      expect(plugins.length).toBeGreaterThan(0);
      const choice = definitions[`${kind}.choice`] as { properties: { id: { anyOf: { const?: string }[] } }; allOf: { then: { properties: { options: { $ref: string } } } }[] };
      expect(choice.properties.id.anyOf.flatMap((entry) => (entry.const === undefined ? [] : [entry.const]))).toEqual(plugins.map((plugin) => plugin.id));
      expect(choice.allOf.map((entry) => entry.then.properties.options.$ref)).toEqual(plugins.map((plugin) => `#/definitions/${kind}.options.${plugin.id}`));
      for (const plugin of plugins) expect(definitions[`${kind}.options.${plugin.id}`]).toBeTypeOf('object');
    }
    // metrics are not chosen in a config: no definitions for them
    expect(Object.keys(definitions).filter((name) => name.startsWith('metric'))).toEqual([]);
  });

  it('accepts every example config (JSON and YAML)', () => {
    const files = readdirSync(examplesDirectory, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) =>
        readdirSync(path.join(examplesDirectory, entry.name))
          .filter((file) => /\.(json|ya?ml)$/.test(file) && file !== 'package.json')
          .map((file) => path.join(examplesDirectory, entry.name, file)),
      );
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const config: unknown = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
      expect({ file, errors: errorsOf(config) }).toEqual({ file, errors: [] });
    }
  });

  it("rejects typos, a built-in plugin's bad or unknown options, and a config missing required fields", () => {
    expect(errorsOf({ ...minimal, fairnes: { id: 'identity' } })).toContain(' should NOT have additional properties');
    expect(errorsOf({ ...minimal, trainingAttack: { id: 'pgd', options: { steps: 'many' } } })).toContain('.trainingAttack.options.steps should be integer');
    expect(errorsOf({ ...minimal, trainingAttack: { id: 'pgd', options: { stepz: 3 } } })).toContain('.trainingAttack.options should NOT have additional properties');
    expect(errorsOf({ ...minimal, evaluation: { attacks: [{ name: 'mine', attack: { id: 'fgsm', options: { init: 'normal' } } }] } }).join('\n')).toMatch(
      /\.evaluation\.attacks\[0\]\.attack\.options\.init should be equal to one of the allowed values/,
    );
    expect(errorsOf({ model: { id: 'small-cnn' }, training: { epochs: 1 } })).toContain(" should have required property 'dataset'");
    expect(errorsOf({ ...minimal, training: { epochs: 1, epsilon: 8 } })).toEqual([]); // ranges after a transform are the loader's job
  });

  it("accepts an outside plugin's id with any options (it is loaded only with the config)", () => {
    expect(errorsOf({ ...minimal, plugins: ['./mine.js'], trainingAttack: { id: 'my-attack', options: { anything: [1, 2] } } })).toEqual([]);
  });

  it('does not require fields in a config that extends a base (the base supplies them)', () => {
    expect(errorsOf({ extends: './base.yaml', training: { batchSize: 32 }, fairness: { options: { power: 2 } } })).toEqual([]);
    expect(errorsOf({ extends: './base.yaml', training: { batchSize: 'big' } })).toContain('.training.batchSize should be integer');
    expect(errorsOf({ extends: './base.yaml', fairnes: {} })).toContain(' should NOT have additional properties');
  });

  it("checks an outside plugin's options when it is passed in, and skips schemas it cannot convert", () => {
    const boost = defineFairnessStrategyPlugin({
      kind: 'fairness-strategy',
      id: 'worst-class-boost',
      specificationVersion: 'v1',
      summary: 'test double',
      optionsSchema: z.strictObject({ boost: z.number().min(1).default(3) }),
      create: () => {
        throw new Error('not used');
      },
    });
    const opaque = { ...boost, id: 'opaque', optionsSchema: { parse: (value: unknown) => value } } as unknown as AnyPluginDescriptor;
    const extended = compile(createConfigJsonSchema([...builtins, boost, opaque]));
    expect(extended({ ...minimal, fairness: { id: 'worst-class-boost', options: { boost: 2 } } })).toBe(true);
    expect(extended({ ...minimal, fairness: { id: 'worst-class-boost', options: { boost: 0.5 } } })).toBe(false);
    expect(extended({ ...minimal, fairness: { id: 'opaque', options: { whatever: true } } })).toBe(true);
  });
});
