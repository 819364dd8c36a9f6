import { z } from 'zod';
import { inputUnitsSchema } from '../shared/input-units.js';
import { parseStrategyOptions } from '../shared/parse-strategy-options.js';

/** The three FRL variants (docs/methods/frl.md). */
export type FrlVariant = 'reweight' | 'remargin' | 'reweight-remargin';

const common = (defaults: { tolerance: number; limit: number }) => ({
  /** τ0 (`bound0`): tolerated excess of a class's clean error over the overall clean error. */
  naturalErrorTolerance: z.number().min(0).default(defaults.tolerance).describe('τ0 (`bound0`): tolerated excess of a class\'s clean error over the overall clean error.'),
  /** τ1 (`bound1`): tolerated excess of a class's boundary error over the overall one. */
  boundaryErrorTolerance: z.number().min(0).default(defaults.tolerance).describe('τ1 (`bound1`): tolerated excess of a class\'s boundary error over the overall one.'),
  /** α1 (`rate1`): step of the reweighting multipliers (λ1 uses 2·α1). */
  multiplierStepSize: z.number().positive().default(0.05).describe('α1 (`rate1`): step of the reweighting multipliers (λ1 uses 2·α1).'),
  /** `lim`: after each step the reweighting multipliers are clipped at 0 and scaled to sum ≤ lim (< 1). */
  multiplierLimit: z.number().positive().lt(1).default(defaults.limit).describe('`lim`: after each step the reweighting multipliers are clipped at 0 and scaled to sum ≤ lim (< 1).'),
  /** α1 is halved at every reference epoch t (1-based) with t % period = 0 (the code's `t % 40`). */
  stepHalvingPeriod: z.number().int().positive().default(40).describe('α1 is halved at every reference epoch t (1-based) with t % period = 0 (the code\'s `t % 40`).'),
  /**
   * The attack of the validation pass that measures the errors: an evaluation-attack preset with
   * optional overrides (default `{ preset: 'pgd20' }`: PGD-20, cross-entropy, step 2/255, uniform
   * start, eval mode, as the reference), or `'training'` for the arm's training attack.
   */
  validationAttack: z
    .union([
      z.literal('training'),
      z.strictObject({ preset: z.string().min(1), overrides: z.record(z.string(), z.json()).optional() }),
    ])
    .default({ preset: 'pgd20' })
    .describe("The attack of FRL's validation pass: an evaluation preset (default PGD-20 cross-entropy, as the reference) or 'training' for the arm's training attack."),
  /**
   * Radius of the validation attack for every class (input units, e.g. "8/255"; default 8/255 as
   * the reference), or `'per-class'` for the epoch's class-wise ε (the remargin radii).
   */
  validationEpsilon: z
    .union([z.literal('per-class'), inputUnitsSchema])
    .default(8 / 255)
    .describe("Radius of the validation attack (default 8/255, as the reference), or 'per-class' for the epoch's class-wise ε."),
  /**
   * Run one validation update on the initial (hot-start) model before the first epoch, as the
   * reference does (default true); false trains epoch 0 with λ = 0.
   */
  updateBeforeTraining: z.boolean().default(true).describe('One validation update on the initial model before the first epoch, as the reference.'),
});

const margin = (defaults: { stepSize: number; maximum: number }) => ({
  /** α2 (`rate2`): step of the remargin multipliers λ2 (never halved, clipped or normalised). */
  marginStepSize: z.number().positive().default(defaults.stepSize).describe('α2 (`rate2`): step of the remargin multipliers λ2 (never halved, clipped or normalised).'),
  /** [0.98, M]: range of the ε multiplier exp(2·λ2_c). */
  marginRange: z.tuple([z.number().positive(), z.number().positive()]).default([0.98, defaults.maximum]).describe('[0.98, M]: range of the ε multiplier exp(2·λ2_c).'),
});

const marginRangeOrdered = {
  check: (options: { marginRange: readonly [number, number] }) => options.marginRange[0] <= options.marginRange[1],
  message: { message: 'marginRange must be [min, max] with min ≤ max', path: ['marginRange'] },
};

/** `frl-reweight` (`frlrw.py`): τ0 = τ1 = 0.1, α1 = 0.05, lim = 0.5. */
export const frlReweightOptionsSchema = z.strictObject(common({ tolerance: 0.1, limit: 0.5 }));

/** `frl-remargin` (`frlrm.py`, recovered from history): τ 0.1, α1 0.05, α2 0.1, lim 0.3, M 2.5. */
export const frlRemarginOptionsSchema = z
  .strictObject({ ...common({ tolerance: 0.1, limit: 0.3 }), ...margin({ stepSize: 0.1, maximum: 2.5 }) })
  .refine(marginRangeOrdered.check, marginRangeOrdered.message);

/** `frl-reweight-remargin` (`frlrmrw.py`): τ 0.07, α1 0.05, α2 0.2, lim 0.5, M 3. */
export const frlReweightRemarginOptionsSchema = z
  .strictObject({ ...common({ tolerance: 0.07, limit: 0.5 }), ...margin({ stepSize: 0.2, maximum: 3 }) })
  .refine(marginRangeOrdered.check, marginRangeOrdered.message);

export type FrlReweightOptions = z.output<typeof frlReweightOptionsSchema>;
export type FrlRemarginOptions = z.output<typeof frlRemarginOptionsSchema>;
export type FrlReweightRemarginOptions = z.output<typeof frlReweightRemarginOptionsSchema>;
export type FrlReweightOptionsInput = z.input<typeof frlReweightOptionsSchema>;
export type FrlRemarginOptionsInput = z.input<typeof frlRemarginOptionsSchema>;
export type FrlReweightRemarginOptionsInput = z.input<typeof frlReweightRemarginOptionsSchema>;

/** Resolved options of any FRL variant; the margin fields are absent for `frl-reweight`. */
export type FrlOptions = FrlReweightOptions & Partial<Pick<FrlRemarginOptions, 'marginStepSize' | 'marginRange'>>;

export const frlOptionsSchemas = {
  reweight: frlReweightOptionsSchema,
  remargin: frlRemarginOptionsSchema,
  'reweight-remargin': frlReweightRemarginOptionsSchema,
} as const;

/** Validates and fills the variant's defaults; throws InvalidOptionsError naming each bad field. */
export function parseFrlOptions(variant: FrlVariant, raw: unknown): FrlOptions {
  return parseStrategyOptions(frlOptionsSchemas[variant], `frl-${variant}`, raw);
}
