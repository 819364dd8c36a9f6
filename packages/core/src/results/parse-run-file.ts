import { RunFileError } from '@robustfair/spec';
import type { z } from 'zod';

// On text already read: the runner reads run files from disk, the browser playground from files
// the user picked; both parse them here so a damaged file is reported the same way.

function parse<Schema extends z.ZodType>(file: string, text: string, schema: Schema): { value: unknown; data: z.output<Schema> } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RunFileError(file, `is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => `field '${issue.path.map(String).join('.') || '(top level)'}': ${issue.message}`);
    throw new RunFileError(file, problems.join('; '));
  }
  return { value, data: parsed.data };
}

/** Parses JSON text of `file` against `schema`; errors name the file, the field and what was expected. */
export function parseRunFile<Schema extends z.ZodType>(file: string, text: string, schema: Schema): z.output<Schema> {
  return parse(file, text, schema).data;
}

/**
 * Checks JSON text of `file` against `schema` like {@link parseRunFile}, but returns the value as
 * written (unknown fields kept, no defaults or transforms): what the schema accepts as input.
 */
export function validateRunFile<Schema extends z.ZodType>(file: string, text: string, schema: Schema): z.input<Schema> {
  return parse(file, text, schema).value as z.input<Schema>;
}
