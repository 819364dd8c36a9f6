import { z } from 'zod';
import { parseStrategyOptions } from '../shared/parse-strategy-options.js';

/**
 * Options of `wat` (docs/methods/wat.md):
 * - `learningRate` η (0.1): the Hedge step, w ∝ exp(η·S) with S the cumulative validation cost.
 * - `cost` ('robust-ce'): the per-class validation cost. 'robust-ce' is the class mean of the
 *   hard-label CE on the validation adversarial examples. 'trades' is the reference's cost,
 *   mean natural-loss + β·mean robust-loss (CE + β·KL of the TRADES objective) on the validation
 *   split: the loop's validation pass then runs the objective's attack target (TRADES: KL to the
 *   eval-mode clean prediction) and its per-sample loss terms on eval-mode logits.
 * - `beta` (6): the TRADES β of the 'trades' cost (unused with 'robust-ce').
 */
export const watOptionsSchema = z.strictObject({
  learningRate: z.number().positive().default(0.1),
  cost: z.enum(['robust-ce', 'trades']).default('robust-ce'),
  beta: z.number().min(0).default(6),
});

export type WatOptions = z.output<typeof watOptionsSchema>;
export type WatOptionsInput = z.input<typeof watOptionsSchema>;

/** Validates and fills defaults; throws InvalidOptionsError naming each bad field. */
export function parseWatOptions(raw: unknown): WatOptions {
  return parseStrategyOptions(watOptionsSchema, 'wat', raw);
}
