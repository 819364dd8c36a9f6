import { open } from 'node:fs/promises';
import path from 'node:path';
import { InvalidOptionsError } from '@robustfair/spec';
import { describeIssues } from '@robustfair/core';
import { LineCounter, parseDocument } from 'yaml';
import { checkConfigTree, configLimits, isAllowedConfigKey } from './config-limits.js';
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
    const segments = key.split('.');
    if (segments.length > configLimits.overrideSegments) {
      throw new InvalidOptionsError('override', [{ path: `${key.slice(0, 60)}…`, message: `has ${segments.length} path segments, at most ${configLimits.overrideSegments} are allowed` }]);
    }
    const forbidden = segments.find((segment) => !isAllowedConfigKey(segment));
    if (forbidden !== undefined) throw new InvalidOptionsError('override', [{ path: key, message: `the key '${forbidden}' is not allowed in a config` }]);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // a bare string such as `--set fairness.id=identity`
    }
    checkConfigTree(value, `--set ${key}`);
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
    throw new InvalidOptionsError('config file', [{ path: absolute, message: `is not valid JSON: ${describeJsonError(text, (error as Error).message)}` }]);
  }
}

/**
 * V8's JSON error without the excerpt of the file it quotes (`"root:x:0:0"... is not valid
 * JSON`): a config can `extends` any file, and its first bytes must not end up in a log. The
 * offending character is kept when it is printable ASCII, and the position as line and column.
 */
function describeJsonError(text: string, message: string): string {
  const token = /^Unexpected token '(.)'/su.exec(message);
  // V8 since Node 22 appends its own " (line 3 column 3)"; dropped so every Node reads the same
  let description = token
    ? `unexpected ${/^[\x21-\x7e]$/.test(token[1] ?? '') ? `character '${token[1]}'` : 'character'}`
    : message.replace(/,?\s*".*$/su, '').replace(/\s*\(line \d+ column \d+\)$/u, '');
  const position = /at position (\d+)/.exec(message);
  if (position) {
    const { line, column } = lineAndColumn(text, Number(position[1]));
    description = `${description} (line ${line}, column ${column})`;
  }
  return description;
}

function parseYamlText(absolute: string, text: string): unknown {
  const lineCounter = new LineCounter();
  // `merge`: `<<: *anchor` merge keys, as in many YAML configs (a YAML 1.1 feature the 1.2 core schema leaves out).
  let document: ReturnType<typeof parseDocument>;
  try {
    document = parseDocument(text, { prettyErrors: false, lineCounter, merge: true });
  } catch (error) {
    // The parser recurses per nesting level: a hostile depth overflows the stack before our own check.
    if (error instanceof RangeError) throw new InvalidOptionsError('config file', [{ path: absolute, message: `nests too deeply to parse (at most ${configLimits.depth} levels)` }]);
    throw error;
  }
  const [first] = document.errors;
  // The parser catches its own stack overflow on hostile nesting and reports it as an error.
  if (document.errors.some((error) => error.message.includes('Maximum call stack'))) {
    throw new InvalidOptionsError('config file', [{ path: absolute, message: `nests too deeply to parse (at most ${configLimits.depth} levels)` }]);
  }
  if (first) {
    const where = lineCounter.linePos(first.pos[0]);
    const at = ` (line ${where.line}, column ${where.col})`;
    const more = document.errors.length > 1 ? ` (and ${document.errors.length - 1} more error${document.errors.length > 2 ? 's' : ''})` : '';
    throw new InvalidOptionsError('config file', [{ path: absolute, message: `is not valid YAML${at}: ${first.message}${more}` }]);
  }
  try {
    return document.toJS();
  } catch (error) {
    if (error instanceof RangeError) throw new InvalidOptionsError('config file', [{ path: absolute, message: `nests too deeply to parse (at most ${configLimits.depth} levels)` }]);
    // e.g. an alias whose anchor is never set
    throw new InvalidOptionsError('config file', [{ path: absolute, message: `is not valid YAML: ${(error as Error).message}` }]);
  }
}

/**
 * The text of a config file: a regular file (not a device or FIFO that never ends), at most
 * `configLimits.fileBytes`, UTF-8 text without NUL characters. Anything else (say an `extends`
 * pointing at a binary or system file) is refused by name without echoing its content.
 */
async function readConfigText(absolute: string): Promise<string> {
  const fail = (message: string) => new InvalidOptionsError('config file', [{ path: absolute, message }]);
  let handle;
  try {
    handle = await open(absolute, 'r');
  } catch (error) {
    throw fail(`cannot be read: ${(error as Error).message}`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw fail('is not a regular file');
    if (stats.size > configLimits.fileBytes) throw fail(`has ${stats.size} bytes, more than the ${configLimits.fileBytes} a config file may have`);
    const bytes = await handle.readFile();
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw fail('is not a text file (not valid UTF-8); expected a JSON or YAML config');
    }
    if (text.includes('\u0000')) throw fail('is not a text file (it holds NUL bytes); expected a JSON or YAML config');
    return text;
  } catch (error) {
    if (error instanceof InvalidOptionsError) throw error;
    throw fail(`cannot be read: ${(error as Error).message}`);
  } finally {
    await handle.close();
  }
}

/** Reads one config file (JSON, or YAML by its extension) into an object without its `$schema` key. */
async function readConfigObject(absolute: string): Promise<Record<string, unknown>> {
  const text = await readConfigText(absolute);
  const yaml = yamlExtensions.has(path.extname(absolute).toLowerCase());
  const parsed = yaml ? parseYamlText(absolute, text) : parseJsonText(absolute, text);
  if (!isPlainObject(parsed)) {
    throw new InvalidOptionsError('config file', [{ path: absolute, message: yaml ? 'must hold a YAML mapping (key: value pairs)' : 'must hold a JSON object' }]);
  }
  // Before anything recurses through it (merge, rebase, validation): depth, prototypes, keys.
  checkConfigTree(parsed, absolute);
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
  if (chain.length >= configLimits.extendsChain) {
    throw new InvalidOptionsError('config file', [{ path: chain.at(-1) ?? absolute, message: `'extends' chains more than ${configLimits.extendsChain} files` }]);
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
