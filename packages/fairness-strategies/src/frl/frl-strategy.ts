import type { ClassKnobs, ClassVector, FairnessStrategy } from '@robustfair/spec';
import { classMeans, requireSignal } from '../signals/class-means.js';
import { assertClassCount, assertSplit, clamp, filled, sum } from '../shared/class-vectors.js';
import {
  parseFrlOptions,
  type FrlRemarginOptionsInput,
  type FrlReweightOptionsInput,
  type FrlReweightRemarginOptionsInput,
  type FrlVariant,
} from './frl-options.js';

/**
 * FRL's Lagrange multipliers, index = class id: `natural` λ0 (clean-error constraint, always
 * reweighting), `boundary` λ1 (boundary-error constraint by reweighting; stays 0 in
 * `frl-remargin`), `margin` λ2 (boundary-error constraint by remargin; stays 0 in
 * `frl-reweight`), and the run's base radius `epsilon` (input units) the ε multipliers scale.
 */
export type FrlState = { natural: number[]; boundary: number[]; margin: number[]; epsilon: number };

/**
 * FRL, Fair Robust Learning (ALGORITHMS.md section 5): per-class constraints on the clean error
 * and on the boundary error, enforced through Lagrange multipliers updated once per epoch on
 * the VALIDATION split (`requires.split`; the loop attacks it with its validation attack, PGD-20
 * CE in the reference).
 *
 * Signals: `natural-error` and `robust-error` sums. With E_c / R_c the class's clean / robust
 * error rates and E, R the overall rates (sums over all classes / total count):
 *   B_c = R_c − E_c = acc_c − advacc_c,  B = R − E       (the code's boundary error, 5(b))
 * This is the reference's accuracy gap exactly. The loop's `boundary-error` signal (clean right
 * AND adversarial wrong) differs from it by the samples that are clean-wrong but adversarially
 * right, so it is not used.
 *
 * After epoch e (0-based) the multipliers for epoch e + 1 are, with t = e + 2 the reference's
 * 1-based epoch that trains with them and α1_t = α1 · 2^(−floor(t / stepHalvingPeriod)):
 *   γ0_c = E_c − E − τ0,  γ1_c = B_c − B − τ1
 *   λ0 ← N(λ0 + α1_t·γ0)                 every variant
 *   λ1 ← N(λ1 + 2·α1_t·γ1)               reweight, reweight-remargin
 *   λ2 ← λ2 + α2·γ1                      remargin, reweight-remargin (no clip, no normalisation)
 *   N(λ) = max(λ, 0), then λ·lim/Σλ when Σλ > lim
 * Timing: the reference also runs one validation update on the hot-start model before its first
 * epoch; the loop updates only after epochs, so epoch 0 trains with λ = 0 (neutral weights) and
 * every later epoch matches the reference's update for the same model.
 *
 * Knobs (reduction `'weight-normalised'`, so the loop divides each term by the batch's sum of
 * its weights, as the reference does):
 *   naturalWeight_c = C·w0_c = 1 + C·λ0_c − Σ_j λ0_j   (w0_c = 1/C + λ0_c − Σλ0/C, sums to 1)
 *   robustWeight_c  = C·w1_c, the same with λ1         (reweight variants only)
 *   epsilon_c       = ε · clip(exp(2·λ2_c), marginRange)   (remargin variants only)
 * The factor C makes uniform classes weigh 1; under the weight-normalised reduction any common
 * factor cancels, so with a TRADES objective (coefficients 1 and β) the batch loss is exactly
 * Σ w0·CE/Σ w0 + β·Σ w1·KL/Σ w1. For `frl-remargin` the deleted reference file used ONE joint
 * denominator, Σ_i (w0·CE_i + β·KL_i/C) / Σ_i (w0 + 1/C); the loop normalises each term on its
 * own, Σ w0·CE/Σ w0 + β·mean KL, which is twice the reference's loss on a class-balanced batch
 * (Σ_i w0[y_i] = B/C) and differs slightly otherwise. Halve the learning rate to compensate.
 *
 * @example
 * fit({ ..., fairness: createFrlStrategy('reweight'), validation: { attack: pgd20, batchSize: 128 } });
 */
export function createFrlStrategy(variant: 'reweight', options?: FrlReweightOptionsInput): FairnessStrategy<FrlState>;
export function createFrlStrategy(variant: 'remargin', options?: FrlRemarginOptionsInput): FairnessStrategy<FrlState>;
export function createFrlStrategy(variant: 'reweight-remargin', options?: FrlReweightRemarginOptionsInput): FairnessStrategy<FrlState>;
export function createFrlStrategy(variant: FrlVariant, options?: Record<string, unknown>): FairnessStrategy<FrlState>;
export function createFrlStrategy(variant: FrlVariant, options: Record<string, unknown> = {}): FairnessStrategy<FrlState> {
  const id = `frl-${variant}`;
  const resolved = parseFrlOptions(variant, options);
  const reweightsBoundary = variant !== 'remargin';
  const remargins = variant !== 'reweight';
  const { naturalErrorTolerance, boundaryErrorTolerance, multiplierStepSize, multiplierLimit, stepHalvingPeriod } = resolved;
  const marginStepSize = resolved.marginStepSize ?? 0;
  const [marginMinimum, marginMaximum] = resolved.marginRange ?? [1, 1];

  return {
    specificationVersion: 'v1',
    id,
    requires: { split: 'validation', signals: ['natural-error', 'robust-error'] },
    init: ({ numClasses, epsilon }) => ({
      natural: filled(numClasses, 0),
      boundary: filled(numClasses, 0),
      margin: filled(numClasses, 0),
      epsilon,
    }),
    update: (state, statistics) => {
      assertClassCount(id, state.natural.length, statistics);
      assertSplit(id, 'validation', statistics);
      const naturalRates = classMeans(statistics, 'natural-error', id);
      const robustRates = classMeans(statistics, 'robust-error', id);
      const total = sum(statistics.count);
      const naturalRate = sum(requireSignal(statistics, 'natural-error', id)) / total;
      const robustRate = sum(requireSignal(statistics, 'robust-error', id)) / total;
      const naturalViolation = naturalRates.map((rate) => rate - naturalRate - naturalErrorTolerance);
      const boundaryViolation = robustRates.map(
        (rate, classIndex) => rate - (naturalRates[classIndex] ?? 0) - (robustRate - naturalRate) - boundaryErrorTolerance,
      );
      const stepSize = frlStepSize(statistics.epoch, multiplierStepSize, stepHalvingPeriod);
      return {
        natural: normaliseMultipliers(
          state.natural.map((value, classIndex) => value + stepSize * (naturalViolation[classIndex] ?? 0)),
          multiplierLimit,
        ),
        boundary: reweightsBoundary
          ? normaliseMultipliers(
              state.boundary.map((value, classIndex) => value + 2 * stepSize * (boundaryViolation[classIndex] ?? 0)),
              multiplierLimit,
            )
          : state.boundary.slice(),
        margin: remargins
          ? state.margin.map((value, classIndex) => value + marginStepSize * (boundaryViolation[classIndex] ?? 0))
          : state.margin.slice(),
        epsilon: state.epsilon,
      };
    },
    knobs: (state): ClassKnobs => ({
      naturalWeight: classWeightsFromMultipliers(state.natural),
      ...(reweightsBoundary ? { robustWeight: classWeightsFromMultipliers(state.boundary) } : {}),
      ...(remargins
        ? { epsilon: state.margin.map((value) => state.epsilon * clamp(Math.exp(2 * value), marginMinimum, marginMaximum)) }
        : {}),
      reduction: 'weight-normalised',
    }),
  };
}

/**
 * α1 for the update after 0-based epoch `epoch`: the reference halves α1 at the start of every
 * 1-based epoch t with t % period = 0, and the multipliers this update produces train epoch
 * t = epoch + 2. So α1 · 2^(−floor((epoch + 2) / period)).
 */
export function frlStepSize(epoch: number, stepSize: number, period: number): number {
  return stepSize * 0.5 ** Math.floor((epoch + 2) / period);
}

/** FRL's N(λ): clip at 0, then scale to sum `limit` when the sum exceeds it (ALGORITHMS.md 5(b)). */
export function normaliseMultipliers(multipliers: ClassVector, limit: number): number[] {
  const clipped = multipliers.map((value) => Math.max(value, 0));
  const total = sum(clipped);
  return total > limit ? clipped.map((value) => (limit * value) / total) : clipped;
}

/** C·w_c with w_c = 1/C + λ_c − Σλ/C: 1 + C·λ_c − Σλ (mean 1; positive because Σλ ≤ lim < 1). */
export function classWeightsFromMultipliers(multipliers: ClassVector): number[] {
  const total = sum(multipliers);
  return multipliers.map((value) => 1 + multipliers.length * value - total);
}
