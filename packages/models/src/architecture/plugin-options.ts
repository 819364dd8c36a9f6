import { z } from 'zod';
import type { ArchitectureOptions } from './architecture.js';
import type { InputNormalization } from './input-normalization.js';

/** `{ mean, std }` per input channel; checked against the channel count when the model is built. */
export const inputNormalizationSchema = z.strictObject({
  mean: z.array(z.number()).min(1),
  std: z.array(z.number().positive()).min(1),
});

/** A positive-integer option with a default. */
export const positiveInteger = (fallback: number) => z.number().int().min(1).default(fallback);

/** The context fields plus `normalization` when set (exactOptionalPropertyTypes forbids passing `undefined`). */
export function architectureOptionsFrom(
  context: Pick<ArchitectureOptions, 'numClasses' | 'inputShape' | 'seed'>,
  normalization: InputNormalization | null | undefined,
): ArchitectureOptions {
  const { numClasses, inputShape, seed } = context;
  return { numClasses, inputShape, seed, ...(normalization === null || normalization === undefined ? {} : { normalization }) };
}
