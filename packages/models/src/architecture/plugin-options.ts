import { z } from 'zod';
import type { ArchitectureOptions } from './architecture.js';
import type { InputNormalization } from './input-normalization.js';

/** `{ mean, std }` per input channel; checked against the channel count when the model is built. */
export const inputNormalizationSchema = z.strictObject({
  mean: z.array(z.number()).min(1),
  std: z.array(z.number().positive()).min(1),
});

/** A positive-integer option with a default, at most `maximum` (a bound keeps a config from asking for more memory than exists). */
export const positiveInteger = (fallback: number, maximum: number) => z.number().int().min(1).max(maximum).default(fallback);

/**
 * Widest channel count a model may have anywhere: 4096 (8× the widest layer of the full
 * ResNet-18 or WRN-34-10), so the largest 3×3 convolution stays below 2^28 values (1 GiB of
 * float32) instead of failing in a typed-array allocation that names no option.
 */
export const maximumChannels = 4096;

/** The context fields plus `normalization` when set (exactOptionalPropertyTypes forbids passing `undefined`). */
export function architectureOptionsFrom(
  context: Pick<ArchitectureOptions, 'numClasses' | 'inputShape' | 'seed'>,
  normalization: InputNormalization | null | undefined,
): ArchitectureOptions {
  const { numClasses, inputShape, seed } = context;
  return { numClasses, inputShape, seed, ...(normalization === null || normalization === undefined ? {} : { normalization }) };
}
