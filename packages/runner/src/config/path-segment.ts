import { InvalidOptionsError } from '@robustfair/spec';
import { z } from 'zod';

/** The longest name or label accepted: one directory name, well inside every file system's limit. */
export const maxPathSegmentLength = 100;

/**
 * Experiment names and arm labels become directory names under `--out` (`<out>/<name>/<label>/`).
 * Letters, digits, "_", "-" and "." only, not starting with "." (so never "." or "..", which
 * would put results in a parent folder, nor a hidden folder), at most 100 characters.
 */
const pathSegmentPattern = /^[A-Za-z0-9_-][\w.-]*$/;

/** Why `value` is not a safe directory name, or undefined when it is. */
export function pathSegmentProblem(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > maxPathSegmentLength) return `must be at most ${maxPathSegmentLength} characters (got ${value.length})`;
  if (value.startsWith('.')) return 'must not start with "." (it names a directory: ".", ".." and hidden folders are refused)';
  if (!pathSegmentPattern.test(value)) return 'use letters, digits, ".", "-" and "_" only (it names a directory)';
  return undefined;
}

/**
 * A zod string that is a safe directory name (see {@link pathSegmentProblem}). One pattern, so the
 * generated JSON Schema gives editors the same rule.
 */
export function pathSegmentSchema() {
  return z.string().regex(new RegExp(`^(?!\\.)[\\w.-]{1,${maxPathSegmentLength}}$`), {
    message: `a directory name: letters, digits, ".", "-" and "_" only, not starting with "." (so never "." or ".."), 1 to ${maxPathSegmentLength} characters`,
  });
}

/**
 * Throws naming `subject` and `field` when `value` is not a safe directory name: the last check
 * before a name or label becomes a path (specs built in code skip the config schema).
 */
export function assertPathSegment(value: string, subject: string, field: string): string {
  const problem = pathSegmentProblem(value);
  if (problem) throw new InvalidOptionsError(subject, [{ path: field, message: `'${value}' ${problem}` }]);
  return value;
}

/**
 * A label generated from a value (an ablation's `--axis` values, a plugin id): characters outside
 * the allowed set become "_", a leading "." becomes "_", and it is cut to the length limit, so a
 * value such as ".." or "../x" can never become a directory outside the run.
 */
export function toPathSegment(text: string): string {
  const cleaned = text.replace(/[^\w.-]/g, '_').replace(/^\./, '_').slice(0, maxPathSegmentLength);
  return cleaned === '' ? '_' : cleaned;
}
