import { z } from 'zod';
import { parseStrategyOptions } from '../shared/parse-strategy-options.js';

/**
 * Options of `fair-ard` (docs/methods/fair-ard.md):
 * - `power` β (2, the README command): w_c ∝ (1 / (κ̄_c + kappaOffset))^β.
 * - `kappaOffset` (1e-5, `Fair-ARD.py`): keeps a class with κ̄ = 0 finite. Fair-RSLAD has no
 *   offset and divides by zero there, so 0 is not allowed.
 * - `weightRange` ([5/6, 5/2]): the clip applied AFTER rescaling the weights to sum C.
 */
export const fairArdOptionsSchema = z
  .strictObject({
    power: z.number().min(0).default(2),
    kappaOffset: z.number().positive().default(1e-5),
    weightRange: z.tuple([z.number().positive(), z.number().positive()]).default([5 / 6, 5 / 2]),
  })
  .refine((options) => options.weightRange[0] <= options.weightRange[1], {
    message: 'weightRange must be [min, max] with min ≤ max',
    path: ['weightRange'],
  });

export type FairArdOptions = z.output<typeof fairArdOptionsSchema>;
export type FairArdOptionsInput = z.input<typeof fairArdOptionsSchema>;

/** Validates and fills defaults; throws InvalidOptionsError naming each bad field. */
export function parseFairArdOptions(raw: unknown): FairArdOptions {
  return parseStrategyOptions(fairArdOptionsSchema, 'fair-ard', raw);
}
