import type { z } from 'zod';
import type { epochLogLineSchema, epochRecordFileSchema } from './epoch-files.js';
import type { armEvaluationFileSchema, classSummaryFileSchema, evaluationFileSchema } from './evaluation-files.js';
import type { armManifestFileSchema, armResultFileSchema, comparisonFileSchema } from './run-files.js';

// The results files as read back (the schemas' output: NaN where a file has null, defaults
// filled). What a writer may write is `ResultFileInput<typeof schema>`.

/** One evaluation row (clean, an attack, the worst case). */
export type ClassSummaryFile = z.output<typeof classSummaryFileSchema>;
/** An arm's final evaluation. */
export type ArmEvaluationFile = z.output<typeof armEvaluationFileSchema>;
/** result.json. */
export type ArmResultFile = z.output<typeof armResultFileSchema>;
/** spec.json. */
export type ArmManifestFile = z.output<typeof armManifestFileSchema>;
/** comparison.json. */
export type ComparisonFile = z.output<typeof comparisonFileSchema>;
/** One entry of result.json's `training.epochs`. */
export type EpochRecordFile = z.output<typeof epochRecordFileSchema>;
/** One line of epochs.jsonl. */
export type EpochLogLine = z.output<typeof epochLogLineSchema>;
/** evaluation.json, as far as it is read. */
export type EvaluationFile = z.output<typeof evaluationFileSchema>;
