import type { AnyPluginDescriptor, PluginKind } from '@robustfair/spec';
import { z } from 'zod';
import { comparisonSchema, experimentSpecSchema } from './experiment-spec.js';
import { pluginChoiceKinds } from './plugin-choice.js';

/** A JSON Schema (draft-07) object, as plain JSON. */
export type JsonSchema = { [keyword: string]: unknown };

/** Where the generated schema is committed, relative to the runner package (shipped in its `schema/` folder). */
export const configJsonSchemaPath = 'schema/robustfair.config.schema.json';

const draft07 = 'http://json-schema.org/draft-07/schema#';

const toJsonSchema = (schema: z.ZodType, override?: (context: { zodSchema: unknown; jsonSchema: JsonSchema }) => void): JsonSchema =>
  z.toJSONSchema(schema, {
    target: 'draft-7',
    // A config is what a person writes: fields with defaults are optional, "8/255" is allowed.
    io: 'input',
    unrepresentable: 'any',
    ...(override && { override: (context) => override({ zodSchema: context.zodSchema, jsonSchema: context.jsonSchema as JsonSchema }) }),
  }) as JsonSchema;

/** Definition names use letters, digits, ".", "-" and "_" only, so `$ref`s need no escaping. */
const safe = (text: string) => text.replace(/[^\w.-]/g, '_');
const reference = (name: string) => `#/definitions/${name}`;

const choiceName = (kind: PluginKind, partial: boolean) => `${kind}.choice${partial ? '.partial' : ''}`;

/** Rewrites `$ref`s of a sub-schema's own definitions after they are hoisted under a prefix. */
function prefixReferences(value: unknown, prefix: string): unknown {
  if (Array.isArray(value)) return value.map((item) => prefixReferences(item, prefix));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string' && inner.startsWith('#/definitions/')
        ? reference(`${prefix}.${inner.slice('#/definitions/'.length)}`)
        : prefixReferences(inner, prefix),
    ]),
  );
}

/**
 * The JSON Schema of one plugin's options (input side), its own definitions hoisted into
 * `definitions` under its name; undefined when the schema cannot be converted (an outside
 * plugin's schema from another validation library): its options then stay free-form.
 */
function optionsJsonSchema(plugin: AnyPluginDescriptor, name: string, definitions: Record<string, JsonSchema>): JsonSchema | undefined {
  let json: JsonSchema;
  try {
    json = toJsonSchema(plugin.optionsSchema as z.ZodType);
  } catch {
    return undefined;
  }
  const { $schema: _draft, definitions: own, ...body } = json;
  for (const [key, value] of Object.entries((own ?? {}) as Record<string, JsonSchema>)) {
    definitions[`${name}.${key}`] = prefixReferences(value, name) as JsonSchema;
  }
  return prefixReferences(body, name) as JsonSchema;
}

const summaryOf = (plugin: AnyPluginDescriptor) =>
  plugin.reference ? `${plugin.summary} (${plugin.reference.title}, ${plugin.reference.year})` : plugin.summary;

/**
 * `{ id, options }` for one plugin kind: `id` completes to every registered id but accepts any
 * (outside plugins are loaded only when the config is), and `options` is checked against the
 * plugin's own schema when `id` names a registered plugin.
 */
function choiceJsonSchema(kind: PluginKind, plugins: readonly AnyPluginDescriptor[], optionNames: ReadonlyMap<string, string>): JsonSchema {
  const known = plugins.map((plugin) => ({ const: plugin.id, description: summaryOf(plugin) }));
  const byId = plugins.flatMap((plugin) => {
    const name = optionNames.get(plugin.id);
    return name === undefined
      ? []
      : [{ if: { properties: { id: { const: plugin.id } }, required: ['id'] }, then: { properties: { options: { $ref: reference(name) } } } }];
  });
  return {
    type: 'object',
    properties: {
      id: {
        description: `The ${kind} plugin's id: a built-in one, or one of an outside plugin listed in 'plugins'.`,
        anyOf: [...known, { type: 'string', minLength: 1 }],
      },
      options: { type: 'object', description: "The plugin's options, checked by the plugin's own schema (see `robustfair list`)." },
    },
    required: ['id'],
    additionalProperties: false,
    ...(byId.length > 0 && { allOf: byId }),
  };
}

/** Drops every `required` list (a base config fills the gaps), without entering `$ref`s. */
function withoutRequired(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRequired);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, inner]) => !(key === 'required' && Array.isArray(inner)))
      .map(([key, inner]) => [key, withoutRequired(inner)]),
  );
}

/** A config file as written: the spec's fields, plus `$schema`, `extends` and `compare`. */
const configFileSchema = z.strictObject({
  $schema: z.string().optional().describe('The JSON Schema of this file, for editors; robustfair ignores it.'),
  extends: z
    .string()
    .min(1)
    .optional()
    .describe('A base config (path relative to this file) merged under this one: objects merge key by key, anything else written here replaces the base value.'),
  ...experimentSpecSchema.shape,
  compare: comparisonSchema.optional().describe('A comparison (robustfair compare): arms that change one field, or several fields with a label.'),
});

/**
 * The JSON Schema of a robustfair config file (JSON or YAML), generated from the zod schemas:
 * the spec, the `compare` block, and the options of every plugin in `plugins` (per kind, keyed
 * by id). A config with `extends` is checked without required fields, since its base may
 * supply them.
 */
export function createConfigJsonSchema(plugins: readonly AnyPluginDescriptor[]): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const kinds = new Set<PluginKind>();
  const structure = (partial: boolean) =>
    toJsonSchema(configFileSchema, ({ zodSchema, jsonSchema }) => {
      const place = pluginChoiceKinds.get(zodSchema as z.ZodType);
      if (!place) return;
      kinds.add(place.kind);
      const description = jsonSchema['description'];
      for (const key of Object.keys(jsonSchema)) delete jsonSchema[key];
      Object.assign(jsonSchema, description === undefined ? {} : { description }, { allOf: [{ $ref: reference(choiceName(place.kind, partial)) }] });
    });
  // Top-level `x-…` keys are the config's own (YAML anchors, notes): robustfair ignores them.
  const extensions = { patternProperties: { '^x-': {} } };
  const { $schema: _full, ...fullConfig } = structure(false);
  const { $schema: _partial, ...partialConfig } = structure(true);
  const config = { ...fullConfig, ...extensions };
  const extending = { ...partialConfig, ...extensions };

  for (const kind of kinds) {
    const ofKind = plugins.filter((plugin) => plugin.kind === kind);
    const optionNames = new Map<string, string>();
    for (const plugin of ofKind) {
      let name = `${kind}.options.${safe(plugin.id)}`;
      for (let suffix = 2; name in definitions; suffix++) name = `${kind}.options.${safe(plugin.id)}_${suffix}`;
      const options = optionsJsonSchema(plugin, name, definitions);
      if (options === undefined) continue;
      definitions[name] = options;
      optionNames.set(plugin.id, name);
    }
    const choice = choiceJsonSchema(kind, ofKind, optionNames);
    const { required: _required, ...partialChoice } = choice;
    definitions[choiceName(kind, false)] = choice;
    definitions[choiceName(kind, true)] = partialChoice;
  }

  return {
    $schema: draft07,
    $comment: 'Generated from the zod schemas by `robustfair schema`; do not edit by hand.',
    title: 'robustfair config',
    description: 'An experiment (and optionally a comparison) for robustfair train, compare, ablate and validate.',
    if: { type: 'object', required: ['extends'] },
    then: { $ref: reference('config-extending') },
    else: { $ref: reference('config') },
    definitions: {
      config,
      'config-extending': withoutRequired(extending),
      ...Object.fromEntries(Object.entries(definitions).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))),
    },
  };
}

/** The schema as written to disk: two-space JSON and a final newline. */
export function formatConfigJsonSchema(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
