import type { ClassKnobs, ClassVector, FairnessStrategy, JsonValue, ValidationRequirements } from '@robustfair/spec';
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
 * FRL, Fair Robust Learning (docs/methods/frl.md): per-class constraints on the clean error
 * and on the boundary error, enforced through Lagrange multipliers updated once per epoch on
 * the VALIDATION split (`requires.split`).
 *
 * Validation attack (`requires.validation`): by default PGD-20 with cross-entropy, step 2/255,
 * uniform start, model in eval mode, at a FIXED ε = 8/255 for every class, as the official code
 * validates (`validationAttack`, `validationEpsilon`). The radius does not follow the remargin
 * multipliers: a class whose ε grew is not measured at the larger ε, so its boundary error does
 * not feed back into a still larger ε. `validationEpsilon: 'per-class'` and
 * `validationAttack: 'training'` bring back the earlier behaviour (the arm's training attack at
 * the epoch's class-wise ε), which the reference does not have.
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
 * Timing: as in the reference, one validation update runs on the initial (hot-start) model before
 * the first epoch (`updateBeforeTraining`, default true; the loop passes it statistics with
 * epoch −1, so α1 = α1 · 2^(−floor(1 / period)) as at the reference's t = 1), then one after
 * every epoch. With `updateBeforeTraining: false` epoch 0 trains with λ = 0 (neutral weights).
 *
 * Hot start: the reference fine-tunes a pre-trained robust model (`hot_start.pt`) at lr 0.001
 * for 40 epochs (120 for Remargin). The strategy cannot load weights; give the arm
 * `initialWeights` (runner config) and the reference's optimiser and epoch count. Without it
 * the arm trains from scratch, which is a deviation the arm's results record.
 *
 * Knobs (reduction `'weight-normalised'`, so the loop divides each term by the batch's sum of
 * its weights, as the reference does):
 *   naturalWeight_c = C·w0_c = 1 + C·λ0_c − Σ_j λ0_j   (w0_c = 1/C + λ0_c − Σλ0/C, sums to 1)
 *   robustWeight_c  = C·w1_c, the same with λ1         (reweight variants only)
 *   epsilon_c       = ε · clip(exp(2·λ2_c), marginRange)   (remargin variants only)
 * The factor C makes uniform classes weigh 1; under the weight-normalised reduction any common
 * factor cancels, so with a TRADES objective (coefficients 1 and β) the batch loss of the
 * reweight variants is exactly Σ w0·CE/Σ w0 + β·Σ w1·KL/Σ w1.
 * `frl-remargin` (the deleted reference file) uses ONE joint denominator,
 *   Σ_i (w0·CE_i + β·KL_i/C) / Σ_i (w0 + 1/C),
 * which is the reduction `'joint-weight-normalised'` with naturalWeight = C·w0 and
 * robustWeight = 1 (both multiplied by C, which cancels). On a class-balanced batch this is
 * about half of Σ w0·CE/Σ w0 + β·mean KL.
 *
 * The reference's Reweight+Remargin attack steps by max_i(ε_i)/4 over the batch; that is an
 * attack option (`pgd` `relativeStepSize: 0.25`), set in the arm's training attack.
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
  const validation: ValidationRequirements = {
    ...(resolved.validationEpsilon === 'per-class' ? {} : { epsilon: resolved.validationEpsilon }),
    ...(resolved.validationAttack === 'training' ? {} : { attack: validationAttackRequest(resolved.validationAttack) }),
    beforeTraining: resolved.updateBeforeTraining,
  };

  return {
    specificationVersion: 'v1',
    id,
    requires: { split: 'validation', signals: ['natural-error', 'robust-error'], validation },
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
      reduction: reweightsBoundary ? 'weight-normalised' : 'joint-weight-normalised',
    }),
  };
}

/** The preset reference the runner resolves, with the overrides only when given. */
function validationAttackRequest(attack: { preset: string; overrides?: Record<string, unknown> | undefined }): NonNullable<ValidationRequirements['attack']> {
  return { preset: attack.preset, ...(attack.overrides ? { overrides: attack.overrides as Record<string, JsonValue> } : {}) };
}

/**
 * α1 for the update after 0-based epoch `epoch`: the reference halves α1 at the start of every
 * 1-based epoch t with t % period = 0, and the multipliers this update produces train epoch
 * t = epoch + 2. So α1 · 2^(−floor((epoch + 2) / period)).
 */
export function frlStepSize(epoch: number, stepSize: number, period: number): number {
  return stepSize * 0.5 ** Math.floor((epoch + 2) / period);
}

/** FRL's N(λ): clip at 0, then scale to sum `limit` when the sum exceeds it (docs/methods/frl.md). */
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
