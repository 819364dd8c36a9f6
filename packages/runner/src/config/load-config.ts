import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidOptionsError } from '@robustfair/spec';
import { describeIssues } from '@robustfair/core';
import { LineCounter, parseDocument } from 'yaml';
import { comparisonSchema, experimentSpecSchema, type Comparison, type ExperimentSpec } from './experiment-spec.js';

/** A parsed config file: its base spec, its comparison block and where it lives (for `plugins`). */
export interface LoadedConfig {
  readonly file: string;
  readonly raw: Record<string, unknown>;
  readonly spec: ExperimentSpec;
  readonly compare?: Comparison;
  /** `--set`/`--seed` overrides: applied to `raw`, and again to each compare arm after its own `set`. */
  readonly overrides?: readonly string[];
}

/** Parses a spec from raw JSON; errors name every bad field. */
export function parseExperimentSpec(raw: unknown, subject = 'experiment config'): ExperimentSpec {
  const result = experimentSpecSchema.safeParse(raw);
  if (!result.success) throw new InvalidOptionsError(subject, describeIssues(result.error.issues));
  return result.data;
}

/** Applies `--set a.b=value` style overrides (values parsed as JSON when they parse). */
export function applyOverrides(raw: Record<string, unknown>, overrides: readonly string[]): Record<string, unknown> {
  let result = raw;
  for (const override of overrides) {
    const separator = override.indexOf('=');
    if (separator <= 0) throw new InvalidOptionsError('override', [{ path: override, message: 'expected key.path=value' }]);
    const key = override.slice(0, separator);
    const text = override.slice(separator + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // a bare string such as `--set fairness.id=identity`
    }
    result = setPath(result, key, value);
  }
  return result;
}

/** Returns a copy of `target` with the dotted `field` replaced by `value` (never mutates). */
export function setPath(target: Record<string, unknown>, field: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = field.split('.');
  if (head === undefined || head === '') throw new InvalidOptionsError('field path', [{ path: field, message: 'empty path segment' }]);
  if (rest.length === 0) return { ...target, [head]: value };
  const child = target[head];
  const base = typeof child === 'object' && child !== null && !Array.isArray(child) ? (child as Record<string, unknown>) : {};
  return { ...target, [head]: setPath(base, rest.join('.'), value) };
}

const yamlExtensions = new Set(['.yaml', '.yml']);

/** Line and column (1-based) of a character offset, for parse errors. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

function parseJsonText(absolute: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    let message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    if (position && !/\(line \d+/.test(message)) {
      const { line, column } = lineAndColumn(text, Number(position[1]));
      message = `${message} (line ${line}, column ${column})`;
    }
    throw new InvalidOptionsError('config file', [{ path: absolute, message: `is not valid JSON: ${message}` }]);
  }
}

function parseYamlText(absolute: string, text: string): unknown {
  const lineCounter = new LineCounter();
  // `merge`: `<<: *anchor` merge keys, as in many YAML configs (a YAML 1.1 feature the 1.2 core schema leaves out).
  const document = parseDocument(text, { prettyErrors: false, lineCounter, merge: true });
  const [first] = document.errors;
  if (first) {
    const where = lineCounter.linePos(first.pos[0]);
    const at = ` (line ${where.line}, column ${where.col})`;
    const more = document.errors.length > 1 ? ` (and ${document.errors.length - 1} more error${document.errors.length > 2 ? 's' : ''})` : '';
    throw new InvalidOptionsError('config file', [{ path: absolute, message: `is not valid YAML${at}: ${first.message}${more}` }]);
  }
  try {
    return document.toJS();
  } catch (error) {
    // e.g. an alias whose anchor is never set
    throw new InvalidOptionsError('config file', [{ path: absolute, message: `is not valid YAML: ${(error as Error).message}` }]);
  }
}

/** Reads one config file (JSON, or YAML by its extension) into an object without its `$schema` key. */
async function readConfigObject(absolute: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new InvalidOptionsError('config file', [{ path: absolute, message: `cannot be read: ${(error as Error).message}` }]);
  }
  const yaml = yamlExtensions.has(path.extname(absolute).toLowerCase());
  const parsed = yaml ? parseYamlText(absolute, text) : parseJsonText(absolute, text);
  if (!isPlainObject(parsed)) {
    throw new InvalidOptionsError('config file', [{ path: absolute, message: yaml ? 'must hold a YAML mapping (key: value pairs)' : 'must hold a JSON object' }]);
  }
  // `$schema` points editors at the JSON Schema; it is not part of the experiment. Top-level
  // keys starting with `x-` are the file's own (a home for YAML anchors, as in Compose files).
  const { $schema: _schema, ...config } = parsed;
  return Object.fromEntries(Object.entries(config).filter(([key]) => !key.startsWith('x-')));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `base` deep-merged with `override`: objects merge key by key, anything else (arrays, scalars,
 * null) in `override` replaces the base value. Neither input is mutated.
 */
export function mergeConfigs(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const previous = result[key];
    result[key] = isPlainObject(previous) && isPlainObject(value) ? mergeConfigs(previous, value) : value;
  }
  return result;
}

/** A path written relative to `fromDirectory`, rewritten relative to `toDirectory` ("./x" style). */
function rebase(file: string, fromDirectory: string, toDirectory: string): string {
  if (path.isAbsolute(file)) return file;
  const relative = path.relative(toDirectory, path.resolve(fromDirectory, file)).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}

/**
 * The fields whose paths are relative to the config file that holds them (`plugins` entries that
 * start with ".", `teacher.import.file`, `initialWeights.weights`, `initialWeights.import.file`),
 * rewritten for a config in another directory.
 */
function rebasePaths(config: Record<string, unknown>, fromDirectory: string, toDirectory: string): Record<string, unknown> {
  if (fromDirectory === toDirectory) return config;
  let result = config;
  const plugins = config['plugins'];
  if (Array.isArray(plugins)) {
    result = { ...result, plugins: plugins.map((entry: unknown) => (typeof entry === 'string' && entry.startsWith('.') ? rebase(entry, fromDirectory, toDirectory) : entry)) };
  }
  const teacher = config['teacher'];
  const source = isPlainObject(teacher) ? teacher['import'] : undefined;
  if (isPlainObject(teacher) && isPlainObject(source) && typeof source['file'] === 'string') {
    result = { ...result, teacher: { ...teacher, import: { ...source, file: rebase(source['file'], fromDirectory, toDirectory) } } };
  }
  const initial = config['initialWeights'];
  if (isPlainObject(initial) && typeof initial['weights'] === 'string') {
    result = { ...result, initialWeights: { ...initial, weights: rebase(initial['weights'], fromDirectory, toDirectory) } };
  }
  const initialImport = isPlainObject(initial) ? initial['import'] : undefined;
  if (isPlainObject(initial) && isPlainObject(initialImport) && typeof initialImport['file'] === 'string') {
    result = { ...result, initialWeights: { ...initial, import: { ...initialImport, file: rebase(initialImport['file'], fromDirectory, toDirectory) } } };
  }
  return result;
}

/**
 * Reads a config and, through `extends: <path relative to it>`, every base it builds on, merged
 * base first (the child wins). A file that extends itself, directly or not, is an error.
 */
async function readConfigWithBases(absolute: string, chain: readonly string[]): Promise<Record<string, unknown>> {
  if (chain.includes(absolute)) {
    const cycle = [...chain.slice(chain.indexOf(absolute)), absolute].join(' → ');
    throw new InvalidOptionsError('config file', [{ path: chain.at(-1) ?? absolute, message: `'extends' forms a cycle: ${cycle}` }]);
  }
  const { extends: parent, ...config } = await readConfigObject(absolute);
  if (parent === undefined) return config;
  if (typeof parent !== 'string' || parent.trim() === '') {
    throw new InvalidOptionsError(`config ${absolute}`, [{ path: 'extends', message: 'expected the path of a base config file, relative to this one' }]);
  }
  const baseFile = path.resolve(path.dirname(absolute), parent);
  const base = await readConfigWithBases(baseFile, [...chain, absolute]);
  return mergeConfigs(rebasePaths(base, path.dirname(baseFile), path.dirname(absolute)), config);
}

/**
 * Loads a config file: JSON (`.json`, or any other extension) or YAML (`.yaml`, `.yml`), its
 * `extends` bases merged in, a top-level `$schema` ignored, then `overrides` applied. The spec
 * and the `compare` block are validated; every error names the file (and for a parse error the
 * line) and the bad fields.
 */
export async function loadConfig(file: string, overrides: readonly string[] = []): Promise<LoadedConfig> {
  const absolute = path.resolve(file);
  const raw = applyOverrides(await readConfigWithBases(absolute, []), overrides);
  const { compare: compareRaw, ...specRaw } = raw;
  let compare: Comparison | undefined;
  if (compareRaw !== undefined) {
    const parsed = comparisonSchema.safeParse(compareRaw);
    if (!parsed.success) throw new InvalidOptionsError(`config ${absolute}`, describeIssues(parsed.error.issues, 'compare'));
    compare = parsed.data;
  }
  const spec = parseExperimentSpec(specRaw, `config ${absolute}`);
  return { file: absolute, raw: specRaw, spec, ...(compare ? { compare } : {}), ...(overrides.length > 0 ? { overrides } : {}) };
}
