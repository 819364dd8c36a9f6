import { z } from 'zod';
import { classCountsSchema, classNumbersSchema, jsonValueSchema, resultNumberSchema } from './result-values.js';

/** The bootstrap interval of the worst-class accuracy the evaluation suite computes. */
export const confidenceIntervalFileSchema = z.object({
  estimate: resultNumberSchema,
  lower: resultNumberSchema,
  upper: resultNumberSchema,
  confidence: z.number(),
  resamples: z.number(),
});

/**
 * One evaluation row of result.json (`ClassSummary`): the clean pass, an attack or the worst
 * case, per class (count, correct, accuracy) and summarised (Avg., Worst, NSD).
 */
export const classSummaryFileSchema = z.object({
  count: classCountsSchema,
  correct: classCountsSchema,
  classAccuracy: classNumbersSchema.min(1, 'at least one class'),
  average: resultNumberSchema,
  worstClass: z.object({ accuracy: resultNumberSchema, classIndex: z.number().int().nonnegative() }),
  /** std/mean of the class accuracies; NaN (null) when every class is at 0. */
  nsd: resultNumberSchema,
  worstClassInterval: confidenceIntervalFileSchema.optional(),
});

/** A sanity flag of the evaluation suite (gradient masking, a randomised model, ...). */
export const sanityFlagFileSchema = z.object({
  id: z.string(),
  message: z.string(),
  details: z.record(z.string(), jsonValueSchema).optional(),
});

/**
 * An arm's final evaluation in result.json (`ArmEvaluation`): split, radius, the clean row and
 * a row per attack (`worst-case` among them), and the suite's flags.
 */
export const armEvaluationFileSchema = z.object({
  split: z.enum(['test', 'validation']),
  epsilon: z.number(),
  clean: classSummaryFileSchema,
  attacks: z.record(z.string(), classSummaryFileSchema),
  flags: z.array(sanityFlagFileSchema).default([]),
});

/** One row of evaluation.json (`EvaluationRow` of the suite). */
export const evaluationRowFileSchema = classSummaryFileSchema.omit({ count: true, correct: true }).extend({
  id: z.string(),
  counts: z.object({ count: classCountsSchema, correct: classCountsSchema }),
});

/**
 * evaluation.json, written by the evaluation suite (`EvaluationReport`): the protocol and a
 * row per pass. Per-sample arrays and the attacks' descriptions are not part of what is read.
 */
export const evaluationFileSchema = z.object({
  schemaVersion: z.literal(1),
  dataset: z.string().optional(),
  split: z.enum(['test', 'validation', 'train']).optional(),
  numClasses: z.number().int().positive().optional(),
  /** The dataset's class names, when it has them. */
  classNames: z.array(z.string()).optional(),
  rows: z.array(evaluationRowFileSchema).default([]),
});
