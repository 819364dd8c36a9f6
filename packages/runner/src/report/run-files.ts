import { readFile } from 'node:fs/promises';
import { describeIssues } from '@robustfair/core';
import { InvalidOptionsError } from '@robustfair/spec';
import { z } from 'zod';

// The parts of a results directory the report reads, as written by run-experiments.ts and the
// evaluation suite. Unknown fields are ignored, so newer files still read.

/** JSON writes NaN (an undefined NSD) as null; it comes back as NaN. */
const numberOrNull = z
  .number()
  .nullable()
  .transform((value) => value ?? Number.NaN);

/** One evaluation row of result.json (`ClassSummary`): class-wise accuracy, Avg., Worst, NSD. */
export const classSummaryFileSchema = z.object({
  classAccuracy: z.array(numberOrNull).min(1),
  average: numberOrNull,
  worstClass: z.object({ accuracy: numberOrNull, classIndex: z.number().int().nonnegative() }),
  nsd: numberOrNull,
});

/** One evaluation row as read (NaN where the file has null). */
export type ClassSummaryFile = z.output<typeof classSummaryFileSchema>;

const armEvaluationFileSchema = z.object({
  split: z.string(),
  epsilon: z.number(),
  clean: classSummaryFileSchema,
  attacks: z.record(z.string(), classSummaryFileSchema),
  flags: z.array(z.object({ id: z.string(), message: z.string() })).default([]),
});

/** An arm's `result.json` (`ArmResult`), the fields the report uses. */
export const armResultFileSchema = z.object({
  name: z.string(),
  label: z.string(),
  seed: z.number(),
  spec: z.record(z.string(), z.unknown()),
  training: z.object({ epochs: z.array(z.unknown()).default([]) }),
  evaluation: armEvaluationFileSchema,
  teacher: z.object({ key: z.string(), evaluation: armEvaluationFileSchema }).optional(),
});

/** result.json as read. */
export type ArmResultFile = z.output<typeof armResultFileSchema>;

/**
 * One line of `epochs.jsonl` (or one entry of result.json's `training.epochs`): the knobs the
 * epoch trained with and the per-class training statistics gathered during it.
 */
export const epochLineSchema = z.object({
  epoch: z.number().int().nonnegative(),
  knobs: z.record(z.string(), z.unknown()).default({}),
  statistics: z.object({
    count: z.array(z.number()),
    sums: z.record(z.string(), z.array(z.number())).default({}),
  }),
});

/** One epoch of the log as read. */
export type EpochLine = z.output<typeof epochLineSchema>;

/** A comparison's `comparison.json` (`ComparisonResult`): its arms, in order, and its warnings. */
export const comparisonFileSchema = z.object({
  name: z.string(),
  arms: z.array(z.object({ label: z.string() })),
  warnings: z.array(z.string()).default([]),
});

/** `evaluation.json` of the suite: only the class names are read. */
export const evaluationFileSchema = z.object({ classNames: z.array(z.string()).optional() });

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
