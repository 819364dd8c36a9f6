import { z } from 'zod';
import { epochRecordFileSchema } from './epoch-files.js';
import { armEvaluationFileSchema } from './evaluation-files.js';
import { jsonObjectSchema, jsonValueSchema } from './result-values.js';

/** The hash of a spec that checkpoints and spec.json record: 16 lowercase hex digits. */
export const specHashFileSchema = z.string().regex(/^[0-9a-f]{16}$/, 'a spec hash: 16 lowercase hex digits');

/**
 * spec.json: what an arm directory records at its start (`ArmManifest`), so a run can be resumed
 * from the directory alone. `spec` is the experiment spec as it was hashed.
 */
export const armManifestFileSchema = z.object({
  schemaVersion: z.literal(1),
  name: z.string(),
  label: z.string(),
  /** The config file the run was started with (absolute). */
  configFile: z.string(),
  /** The results root the arm was started under (a record only). */
  out: z.string().min(1),
  specHash: specHashFileSchema,
  spec: jsonObjectSchema,
});

/** How an arm trained (`ArmResult.training`): the epochs, the strategy's final state, time, and how it ended. */
export const armTrainingFileSchema = z.object({
  /** One record per epoch trained (older files may lack it: read as none). */
  epochs: z.array(epochRecordFileSchema).default([]),
  strategyState: jsonValueSchema.optional(),
  seconds: z.number(),
  stopped: z.string().optional(),
  /** Set when training hit a non-finite loss or weight and stopped. */
  diverged: z.object({ epoch: z.number(), batch: z.number().optional(), what: z.enum(['loss', 'weights']) }).optional(),
  /** Checkpoint selection scores and chosen epoch, weight-averaging updates. */
  monitor: jsonValueSchema.optional(),
  /** For an imported teacher: the file its weights came from, and that file's SHA-256. */
  imported: z.string().optional(),
  importedSha256: z.string().optional(),
  /** The strategy's validation update before epoch 0 (FRL). */
  initialUpdate: jsonValueSchema.optional(),
});

/** The teacher an arm distilled from: its cache key and directory, and its own evaluation. */
export const teacherRecordFileSchema = z.object({
  key: z.string(),
  directory: z.string(),
  evaluation: armEvaluationFileSchema,
});

/**
 * result.json (`ArmResult`): one finished arm, everything needed to reproduce and compare it:
 * its spec, the versions and backend it ran on, how it trained and its final evaluation.
 */
export const armResultFileSchema = z.object({
  schemaVersion: z.literal(1),
  name: z.string(),
  label: z.string(),
  seed: z.number().int().min(0),
  /** The arm's full experiment spec, with defaults filled. */
  spec: jsonObjectSchema,
  /** Every plugin choice's options as the plugin resolved them, by spec path. */
  resolvedOptions: z.record(z.string(), jsonValueSchema),
  /** `@robustfair/*` and TF.js versions, the backend, Node and the code's commit. */
  versions: z.record(z.string(), z.string()),
  backend: z.object({ active: z.string(), skipped: z.record(z.string(), z.string()).optional() }),
  /** The config's outside plugins: each module file and its SHA-256. */
  plugins: z.array(z.object({ plugin: z.string(), file: z.string().optional(), sha256: z.string().optional() })).optional(),
  training: armTrainingFileSchema,
  /** Where the arm, as configured, departs from its method's reference code. */
  deviations: z.array(z.string()).optional(),
  evaluation: armEvaluationFileSchema.extend({ seconds: z.number() }),
  teacher: teacherRecordFileSchema.optional(),
});

/**
 * comparison.json (`ComparisonResult`): a comparison's arms in config order (each its
 * result.json), the teachers trained for them, and warnings about the comparison.
 */
export const comparisonFileSchema = z.object({
  schemaVersion: z.literal(1),
  name: z.string(),
  /** The spec field the arms differ in; null for a single experiment. */
  field: z.string().nullable(),
  directory: z.string(),
  arms: z.array(armResultFileSchema),
  teachers: z.array(teacherRecordFileSchema).default([]),
  warnings: z.array(z.string()).default([]),
});
