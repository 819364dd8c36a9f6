import { readFile } from 'node:fs/promises';
import { describeIssues } from '@robustfair/core';
import { armResultFileSchema, comparisonFileSchema, InvalidOptionsError, type ClassSummaryFile, type EpochLogLine } from '@robustfair/spec';
import { z } from 'zod';

// The report reads the results format as @robustfair/spec defines it (the runner writes it with
// the same schemas). Only comparison.json is read in part: its arms are read from their own
// result.json, so of the comparison the report takes the name, the arms' labels and the warnings.

export type { ClassSummaryFile };

/** One epoch of the log as read: a line of epochs.jsonl, or an entry of result.json's `training.epochs`. */
export type EpochLine = Pick<EpochLogLine, 'epoch' | 'knobs' | 'statistics'>;

/** comparison.json, as far as the report reads it: the name, the arms' labels in order, the warnings. */
export const comparisonIndexSchema = comparisonFileSchema.pick({ name: true, warnings: true }).extend({
  arms: z.array(armResultFileSchema.pick({ label: true })),
});

/** Reads and validates a JSON file; errors name the file and every bad field. */
export async function readJsonFile<Schema extends z.ZodType>(file: string, schema: Schema): Promise<z.output<Schema>> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new InvalidOptionsError('results file', [{ path: file, message: `cannot be read as JSON: ${(error as Error).message}` }]);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new InvalidOptionsError(`results file ${file}`, describeIssues(parsed.error.issues));
  return parsed.data;
}
