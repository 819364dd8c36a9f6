import { parseRunFile } from '@robustfair/core';
import { armManifestFileSchema } from '@robustfair/spec';
import { z } from 'zod';

const choice = z.object({ id: z.string().min(1), options: z.record(z.string(), z.unknown()).optional() });

/**
 * The parts of a run's spec.json the page uses; the rest of the spec (training, fairness, ...)
 * is not needed to evaluate and is not checked here. Numbers are as the runner wrote them
 * (ε already in pixel units).
 */
const evaluatedSpecSchema = z.object({
  schemaVersion: z.literal(1),
  label: z.string(),
  spec: z.object({
    seed: z.number().int().nonnegative(),
    dataset: choice,
    model: choice,
    training: z.object({ epsilon: z.number().min(0) }),
    evaluation: z.object({
      split: z.enum(['test', 'validation']).default('test'),
      batchSize: z.number().int().positive(),
      epsilon: z.number().min(0).optional(),
      bootstrapResamples: z.number().int().min(0),
    }),
  }),
});

/** What the page takes from spec.json. */
export type EvaluatedSpec = z.output<typeof evaluatedSpecSchema>;

/**
 * Reads spec.json (a run's arm manifest) as picked by the user: first as the results format's
 * manifest, then the fields evaluation needs. Errors name the file and the field.
 */
export function readSpecFile(name: string, bytes: ArrayBuffer): EvaluatedSpec {
  const text = new TextDecoder().decode(bytes);
  parseRunFile(name, text, armManifestFileSchema);
  return parseRunFile(name, text, evaluatedSpecSchema);
}
