import { InvalidOptionsError } from '@robustfair/spec';
import { z } from 'zod';

/**
 * Options of `class-reweight`, with defaults:
 * - `power` (default 1, ≥ 0): exponent on each class's error ratio e_c / mean(e); 0 turns
 *   re-weighting off, 2 sharpens it.
 * - `min` (default 0.5, > 0) and `max` (default 2): the clip range of a weight, applied after
 *   the weights are rescaled to mean 1, so every weight lies in [min, max]. `min` must be at
 *   most `max`.
 */
export const classReweightOptionsSchema = z
  .strictObject({
    power: z.number().min(0).default(1).describe("Exponent on each class's error ratio e_c / mean(e); 0 turns re-weighting off, 2 sharpens it."),
    min: z.number().positive().default(0.5).describe('Lower clip of a class weight, applied after the weights are rescaled to mean 1 (at most max).'),
    max: z.number().positive().default(2).describe('Upper clip of a class weight, applied after the weights are rescaled to mean 1.'),
  })
  .refine((options) => options.min <= options.max, {
    message: 'min must be less than or equal to max',
    path: ['min'],
  });

/** Resolved options of `class-reweight` (every field present). */
export type ClassReweightOptions = z.output<typeof classReweightOptionsSchema>;

/** What a caller may pass: every field optional, defaults filled by the schema. */
export type ClassReweightOptionsInput = z.input<typeof classReweightOptionsSchema>;

/** Validates and fills defaults; throws InvalidOptionsError naming each bad field. */
export function parseClassReweightOptions(raw: unknown): ClassReweightOptions {
  const result = classReweightOptionsSchema.safeParse(raw);
  if (result.success) return result.data;
  throw new InvalidOptionsError(
    "'class-reweight' options",
    result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.map((key) => `'${key}'`).join(', ')}` : issue.message,
    })),
  );
}
