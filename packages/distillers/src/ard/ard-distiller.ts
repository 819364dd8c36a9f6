import type { Distiller } from '@robustfair/spec';
import { crossEntropyPerSample } from '@robustfair/core';
import * as tf from '@tensorflow/tfjs-core';
import { klDivergenceBetweenLogits } from '../losses/kl-divergence-between-logits.js';
import { stopGradient } from '../losses/stop-gradient.js';

/** Options of {@link createArdDistiller}. */
export interface ArdDistillerOptions {
  /** α in [0, 1]: weight of the distillation term; `1 − α` weighs the natural CE (default 1, so the CE is off). */
  readonly distillationWeight?: number;
  /** T > 0: one fixed temperature for both student and teacher logits (default 30). */
  readonly temperature?: number;
}

/** ARD defaults: the reference code's `--alpha 1.0` and `--temp 30.0` (docs/methods/ard.md). */
export const ardDistillerDefaults = { distillationWeight: 1, temperature: 30 } as const satisfies Required<ArdDistillerOptions>;

/**
 * ARD (Goldblum et al. 2020; docs/methods/ard.md):
 * `α·T²·KL_elementmean(logsoftmax(s(x')/T), softmax(t(x)/T)) + (1 − α)·CE(s(x), y)`.
 *
 * `loss` returns unscaled per-sample terms:
 * - `robust_i = KL(softmax(t(x_i)/T) ‖ softmax(s(x'_i)/T)) / C`, whose batch mean is
 *   PyTorch's default `nn.KLDivLoss()` (mean over all B·C elements);
 * - `natural_i = CE(s(x_i), y_i)`;
 * with coefficients `robust = α·T²` and `natural = 1 − α`. The teacher sees natural images only
 * and its logits never receive a gradient. The reference computes `s(x')` before `s(x)`, so the
 * forward order is adversarial first.
 *
 * **Temperatures.** `acceptsTemperature` is false: ARD divides student *and* teacher by one
 * fixed T and compensates with T², whereas ABSLD's class-wise temperatures divide the teacher only,
 * with the student at temperature 1 (docs/methods/absld.md#hyperparameters); that is `rslad`'s form, so ABSLD pairs
 * with `rslad`, and a strategy that sets temperatures fails at init with `ard`. The per-sample
 * temperatures in the input are ignored.
 *
 * **Attack.** No `attackObjective`: ARD's attack is PGD-CE on the hard labels against the
 * student (docs/methods/conventions.md#pgd-with-cross-entropy-and-a-uniform-start-pgd-ce, uniform start, 10 × 2/255, ε 8/255), i.e. the attack's own
 * cross-entropy. ARD attacks in **train** mode (the student's batch-norm statistics move during
 * the attack); the distiller cannot express that: the runner/config sets the attack's
 * `modelMode: 'train'`.
 *
 * @example
 * const ard = createArdDistiller({ distillationWeight: 0.9, temperature: 30 });
 */
export function createArdDistiller(options: ArdDistillerOptions = {}): Distiller {
  const distillationWeight = options.distillationWeight ?? ardDistillerDefaults.distillationWeight;
  const temperature = options.temperature ?? ardDistillerDefaults.temperature;
  if (!(distillationWeight >= 0 && distillationWeight <= 1)) {
    throw new RangeError(`ard: distillationWeight (α) must be in [0, 1], got ${distillationWeight}`);
  }
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new RangeError(`ard: temperature must be a finite number > 0, got ${temperature}`);
  return {
    specificationVersion: 'v1',
    id: 'ard',
    coefficients: { natural: 1 - distillationWeight, robust: distillationWeight * temperature * temperature },
    forwardOrder: 'adversarial-first',
    needs: { teacherAdversarial: false },
    acceptsTemperature: false,
    loss: ({ labels, student, teacher }) => ({
      natural: crossEntropyPerSample(student.natural, labels),
      robust: tf.tidy(() => {
        const numClasses = student.adversarial.shape[1];
        const teacherScaled = stopGradient(tf.div(teacher.natural, temperature) as tf.Tensor2D);
        const studentScaled = tf.div(student.adversarial, temperature) as tf.Tensor2D;
        return tf.div(klDivergenceBetweenLogits(teacherScaled, studentScaled), numClasses) as tf.Tensor1D;
      }),
    }),
  };
}
