import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidOptionsError } from '@robustfair/spec';
import { describeIssues } from '@robustfair/core';
import { comparisonSchema, experimentSpecSchema, type Comparison, type ExperimentSpec } from './experiment-spec.js';

/** A parsed config file: its base spec, its comparison block and where it lives (for `plugins`). */
export interface LoadedConfig {
  readonly file: string;
  readonly raw: Record<string, unknown>;
  readonly spec: ExperimentSpec;
  readonly compare?: Comparison;
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

export async function loadConfig(file: string, overrides: readonly string[] = []): Promise<LoadedConfig> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new InvalidOptionsError('config file', [{ path: absolute, message: `cannot be read: ${(error as Error).message}` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidOptionsError('config file', [{ path: absolute, message: `is not valid JSON: ${(error as Error).message}` }]);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new InvalidOptionsError('config file', [{ path: absolute, message: 'must hold a JSON object' }]);
  }
  const raw = applyOverrides(json as Record<string, unknown>, overrides);
  const { compare: compareRaw, ...specRaw } = raw;
  let compare: Comparison | undefined;
  if (compareRaw !== undefined) {
    const parsed = comparisonSchema.safeParse(compareRaw);
    if (!parsed.success) throw new InvalidOptionsError(`config ${absolute}`, describeIssues(parsed.error.issues, 'compare'));
    compare = parsed.data;
  }
  const spec = parseExperimentSpec(specRaw, `config ${absolute}`);
  return { file: absolute, raw: specRaw, spec, ...(compare ? { compare } : {}) };
}
