import type { AttackObjective, Distiller } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { divideLogitsPerSample } from '../losses/divide-logits-per-sample.js';
import { klDivergenceBetweenLogits } from '../losses/kl-divergence-between-logits.js';
import { softLabelKlMeanPerSample } from '../losses/soft-label-kl-mean.js';
import { stopGradient } from '../losses/stop-gradient.js';

/** Options of {@link createRsladDistiller}. */
export interface RsladDistillerOptions {
  /**
   * Multiplies both coefficients (default 1). 10 reproduces the CIFAR-100 script, which scales
   * both KLmean terms by 10 to undo KLmean's 1/C (docs/methods/rslad.md, docs/methods/conventions.md#klmean-the-rsladabsld-soft-label-loss).
   */
  readonly lossScale?: number;
}

/** RSLAD defaults. */
export const rsladDistillerDefaults = { lossScale: 1 } as const satisfies Required<RsladDistillerOptions>;

/**
 * RSLAD (Zi et al. 2021; docs/methods/rslad.md) and, with the strategy `absld` supplying class-wise
 * teacher temperatures, ABSLD (Zhao et al. 2024; docs/methods/absld.md).
 *
 * The teacher sees natural images only (`needs.teacherAdversarial: false`); its logits are divided
 * per sample by the temperatures the loop gathers by label, `zt_adv = zt / T_adv[y]` and
 * `zt_nat = zt / T_nat[y]` (docs/methods/absld.md#temperature-coupling-the-official-codes-aliasing); the student stays at temperature 1.
 * ABSLD's `'product'` coupling (the official code's aliasing) is the strategy's business: this
 * distiller divides by whatever temperatures it is given. With no temperature strategy the loop
 * passes ones, which is plain RSLAD.
 *
 * `loss` returns unscaled per-sample terms in RSLAD's KLmean convention (docs/methods/conventions.md#klmean-the-rsladabsld-soft-label-loss):
 * - `natural_i = Σ_c q_nat,c · (log(q_nat,c + 1e-5) − log softmax(s_nat)_c) / C`,
 * - `robust_i`  = the same with `softmax(s_adv)` and `q_adv`,
 * so the batch mean of each term equals the reference `KLmean` (mean over B·C elements). The
 * coefficients are RSLAD's `5/6` (robust) and `1/6` (natural), both times `lossScale`. Teacher
 * logits and temperatures never receive a gradient.
 *
 * The two train-mode forwards run adversarial first (docs/methods/rslad.md). The training attack
 * maximises `KL(softmax(zt / T_adv[y]) ‖ softmax(logits))` per sample (`attackObjective`,
 * docs/methods/conventions.md#the-trades-kl-attack-with-a-gaussian-start, Gaussian start, student in eval mode); the attack's options set the rest.
 *
 * @example
 * const rslad = createRsladDistiller({ lossScale: 10 }); // CIFAR-100 script
 */
export function createRsladDistiller(options: RsladDistillerOptions = {}): Distiller {
  const lossScale = options.lossScale ?? rsladDistillerDefaults.lossScale;
  if (!(lossScale > 0) || !Number.isFinite(lossScale)) throw new RangeError(`rslad: lossScale must be a finite number > 0, got ${lossScale}`);
  return {
    specificationVersion: 'v1',
    id: 'rslad',
    coefficients: { natural: lossScale / 6, robust: (5 * lossScale) / 6 },
    forwardOrder: 'adversarial-first',
    needs: { teacherAdversarial: false },
    acceptsTemperature: true,
    // The target is rebuilt inside each call, so the objective owns no tensor; the loop owns
    // teacherNatural and the temperatures and disposes them after the attack.
    attackObjective:
      (teacherNatural, temperature): AttackObjective =>
      (logits) =>
        tf.tidy(() => klDivergenceBetweenLogits(stopGradient(divideLogitsPerSample(teacherNatural, temperature.adversarial)), logits)),
    loss: ({ student, teacher, temperature }) => ({
      natural: tf.tidy(() => softLabelKlMeanPerSample(divideLogitsPerSample(teacher.natural, temperature.natural), student.natural)),
      robust: tf.tidy(() => softLabelKlMeanPerSample(divideLogitsPerSample(teacher.natural, temperature.adversarial), student.adversarial)),
    }),
  };
}
