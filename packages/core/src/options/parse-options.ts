import { InvalidOptionsError, type OptionsIssue } from '@robustfair/spec';
import type { z } from 'zod';

/**
 * Validates raw JSON against a zod schema and fills defaults. On failure throws one
 * InvalidOptionsError naming every bad field (prefixed with `path`) and what is allowed.
 */
export function parseOptions<Output>(schema: z.ZodType<Output>, raw: unknown, subject: string, path = ''): Output {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new InvalidOptionsError(subject, describeIssues(result.error.issues, path));
}

/** Turns zod issues into `{ path, message }`, adding the allowed keys for unknown fields. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], path = ''): OptionsIssue[] {
  return issues.map((issue) => {
    const segments = [path, ...issue.path.map(String)].filter((segment) => segment !== '');
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `unknown field(s) ${issue.keys.map((key) => `'${key}'`).join(', ')}`;
    }
    return { path: segments.join('.'), message };
  });
}
