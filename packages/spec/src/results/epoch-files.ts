import { z } from 'zod';
import { classCountsSchema, classNumbersSchema, jsonValueSchema, resultNumberSchema } from './result-values.js';

/** Per-class sums gathered during an epoch (`ClassStatistics`): samples per class and each signal's sums. */
export const classStatisticsFileSchema = z.object({
  epoch: z.number().int().min(-1).optional(),
  split: z.enum(['train', 'validation']).optional(),
  count: classCountsSchema,
  /** By signal (`robust-error`, `natural-loss`, ...): one sum per class; NaN after a divergence. */
  sums: z.record(z.string(), classNumbersSchema).default({}),
});

/**
 * The knobs an epoch trained with (`ClassKnobs`): per-class vectors (ε, weights, ABSLD's
 * temperatures) and the loss reduction. Absent knobs are neutral.
 */
export const classKnobsFileSchema = z.object({
  epsilon: classNumbersSchema.optional(),
  naturalWeight: classNumbersSchema.optional(),
  robustWeight: classNumbersSchema.optional(),
  temperature: z.object({ natural: classNumbersSchema.optional(), adversarial: classNumbersSchema.optional() }).optional(),
  reduction: z.string().optional(),
});

/** The fields every epoch record has, in result.json's `training.epochs` and in epochs.jsonl. */
const epochFields = {
  /** 0-based. */
  epoch: z.number().int().nonnegative(),
  learningRate: z.number().optional(),
  knobs: classKnobsFileSchema.default({}),
  /** The training split's per-class sums. */
  statistics: classStatisticsFileSchema,
  /** Strategy state after the epoch's update. */
  strategyState: jsonValueSchema.optional(),
  seconds: z.number().optional(),
};

/** One entry of result.json's `training.epochs` (the training loop's `EpochRecord`). */
export const epochRecordFileSchema = z.object({
  ...epochFields,
  /** What the strategy was updated with, when it differs from `statistics` (the validation split). */
  strategyStatistics: classStatisticsFileSchema.optional(),
  meanLoss: resultNumberSchema.optional(),
});

/**
 * One line of an arm's epochs.jsonl, appended as each epoch ends (so a killed run keeps the
 * epochs it finished): the knobs the epoch started with, its statistics and metrics.
 */
export const epochLogLineSchema = z.object({
  ...epochFields,
  /** The training callbacks' metrics (`loss`, `learningRate`, ...). */
  metrics: z.record(z.string(), resultNumberSchema).default({}),
});
