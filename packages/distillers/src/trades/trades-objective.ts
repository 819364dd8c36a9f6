import type { AttackObjective, TrainingObjective } from '@robustfair/spec';
import { crossEntropyPerSample } from '@robustfair/core';
import { klDivergenceBetweenLogits } from '../losses/kl-divergence-between-logits.js';

/** Options of {@link createTradesObjective}. */
export interface TradesObjectiveOptions {
  /** Weight of the robust KL term (default 6, docs/methods/trades.md). */
  readonly beta?: number;
}

/** TRADES defaults. */
export const tradesObjectiveDefaults = { beta: 6 } as const satisfies Required<TradesObjectiveOptions>;

/**
 * TRADES (Zhang et al. 2019; docs/methods/trades.md): `CE(f(x), y) + β·KL(softmax f(x) ‖ softmax f(x'))`.
 * `loss` returns the unscaled per-sample terms: natural = CE(student.natural, y), robust = the
 * KL, which is NOT detached (its gradient flows into the natural logits too, as in the
 * reference code; the softmax of the natural logits is computed inside the call, so no extra
 * tensor needs an owner); β is the robust coefficient. The training attack maximises the KL to the
 * student's eval-mode clean prediction (`attackObjective`, docs/methods/conventions.md#the-trades-kl-attack-with-a-gaussian-start, Gaussian start).
 */
export function createTradesObjective(options: TradesObjectiveOptions = {}): TrainingObjective {
  const beta = options.beta ?? tradesObjectiveDefaults.beta;
  if (!(beta >= 0) || !Number.isFinite(beta)) throw new RangeError(`trades: beta must be a finite number ≥ 0, got ${beta}`);
  return {
    specificationVersion: 'v1',
    id: 'trades',
    coefficients: { natural: 1, robust: beta },
    forwardOrder: 'natural-first',
    needsNaturalLogits: true,
    attackObjective: (naturalLogits): AttackObjective => (logits) => klDivergenceBetweenLogits(naturalLogits, logits),
    loss: ({ labels, student }) => ({
      natural: crossEntropyPerSample(student.natural, labels),
      robust: klDivergenceBetweenLogits(student.natural, student.adversarial),
    }),
  };
}
