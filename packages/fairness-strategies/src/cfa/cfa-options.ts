import { z } from 'zod';
import { parseStrategyOptions } from '../shared/parse-strategy-options.js';

/**
 * `beginEpoch` (10): the first 0-based training epoch that uses class-wise values (the code's
 * `--begin`, docs/methods/cfa.md); it reads the previous epoch's accuracies, so it is ≥ 1.
 */
const beginEpoch = z.number().int().min(1).default(10);

/**
 * Options of `cfa-ccm` (docs/methods/cfa.md):
 * - `lambda` λ1 (0.5), so ε_c = (λ1 + r_c)·ε lies in [λ1·ε, (λ1 + 1)·ε].
 * - `beginEpoch` (10).
 * - `lossScale` ('cfa'): with CCR off the reference's TRADES loss is (1 − b)·CE + b·KL with
 *   b = β/(1 + β), i.e. TRADES divided by (1 + β); 'cfa' sets naturalWeight = robustWeight =
 *   1/(1 + β) for every class (from the first epoch) to match it. In a `chain` with `cfa-ccr`
 *   these weights are dropped (CCR carries the scale). 'none' sets no weights: use it when the
 *   base loss is not TRADES (SAT, a distiller such as RSLAD in chain(absld, cfa-ccm)).
 * - `beta` (6): the TRADES β of the 'cfa' scale; it must equal the objective's β.
 */
export const cfaCcmOptionsSchema = z.strictObject({
  lambda: z.number().min(0).default(0.5),
  beginEpoch,
  lossScale: z.enum(['cfa', 'none']).default('cfa'),
  beta: z.number().positive().default(6),
});

/**
 * Options of `cfa-ccr` (docs/methods/cfa.md):
 * - `lambda` λ2 (0.5): β'_c = (λ2 + r_c)·β.
 * - `beginEpoch` (10).
 * - `beta` (6): the TRADES β. It must equal the objective's β (`trades` options), because the
 *   weights are written relative to the objective's coefficients (1 and β); a strategy cannot
 *   see the objective, so the runner or the preset has to keep the two equal.
 * - `lossScale` ('cfa'): 'cfa' reproduces the reference loss exactly, (1 − b_c)·CE + b_c·KL, i.e.
 *   TRADES divided by (1 + β) (docs/methods/cfa.md#ccr); 'trades' multiplies both weights by (1 + β), so
 *   every weight is 1 before `beginEpoch` and the loss is plain TRADES there.
 */
export const cfaCcrOptionsSchema = z.strictObject({
  lambda: z.number().min(0).default(0.5),
  beginEpoch,
  beta: z.number().positive().default(6),
  lossScale: z.enum(['cfa', 'trades']).default('cfa'),
});

export type CfaCcmOptions = z.output<typeof cfaCcmOptionsSchema>;
export type CfaCcmOptionsInput = z.input<typeof cfaCcmOptionsSchema>;
export type CfaCcrOptions = z.output<typeof cfaCcrOptionsSchema>;
export type CfaCcrOptionsInput = z.input<typeof cfaCcrOptionsSchema>;

/** Validates and fills defaults; throws InvalidOptionsError naming each bad field. */
export function parseCfaCcmOptions(raw: unknown): CfaCcmOptions {
  return parseStrategyOptions(cfaCcmOptionsSchema, 'cfa-ccm', raw);
}

/** Validates and fills defaults; throws InvalidOptionsError naming each bad field. */
export function parseCfaCcrOptions(raw: unknown): CfaCcrOptions {
  return parseStrategyOptions(cfaCcrOptionsSchema, 'cfa-ccr', raw);
}
