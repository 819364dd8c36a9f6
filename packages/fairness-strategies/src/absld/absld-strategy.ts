import type { ClassKnobs, ClassVector, FairnessStrategy } from '@robustfair/spec';
import { classMeans, requireSignal } from '../signals/class-means.js';
import { assertClassCount, clamp, filled, mean } from '../shared/class-vectors.js';
import { parseAbsldOptions, type AbsldOptionsInput } from './absld-options.js';

/**
 * Class-wise teacher temperatures, index = class id: `natural` (T_nat, for the natural soft
 * labels) and `adversarial` (T_adv, for the adversarial soft labels and the attack target), and
 * the resolved `rateDecayEpochs` (the run's learning-rate milestones unless given explicitly).
 */
export type AbsldState = { natural: number[]; adversarial: number[]; rateDecayEpochs: number[] };

const id = 'absld';

/**
 * ABSLD, Anti-Bias Soft Label Distillation (docs/methods/absld.md): adaptive class-wise teacher
 * temperatures. Hard classes, whose error risk is above the class average, get a lower
 * temperature (sharper soft labels); easy classes a higher one.
 *
 * Reads `robust-ce` and `natural-ce` on the training split: the student's hard-label CE on its
 * train-mode adversarial / natural logits, SUMMED per class over the epoch (decision 3 /
 * ADR 0005; the official code sums too, see `classLoss`). After each epoch e (0-based), for each
 * vector (T_adv with R = robust-ce, T_nat with R = natural-ce):
 *
 *   gap_k = R_k − mean_j R_j;   T_k ← clip(T_k − rate_e · gap_k / max_j |gap_j|, min, max)
 *   rate_e = learningRate · rateDecayFactor^#{m ∈ rateDecayEpochs : m ≤ e + 1}
 *
 * `rateDecayEpochs` defaults to the run's own learning-rate milestones
 * (`StrategyContext.learningRateMilestones`; none for a constant or cosine schedule, so the
 * rate stays constant), resolved at `init` and kept in the state.
 *
 * When every gap is 0 (max |gap| = 0; the official code divides by zero) the temperatures stay as they are. The update
 * also runs after the last epoch, as in the code (harmless).
 *
 * Knobs: `temperature.{natural, adversarial}`. With `temperatureCoupling: 'product'` both
 * vectors are the elementwise product T_adv ⊙ T_nat (the official code's aliasing, docs/methods/absld.md#temperature-coupling-the-official-codes-aliasing;
 * effective range [min², max²]); the state still holds, and updates, the two vectors
 * separately, as the code does. With `mode: 'manual'` both knobs are `manualTemperatures`
 * (docs/methods/absld.md#manual-vs-adaptive-temperatures), the coupling does not apply, and nothing is read or updated.
 *
 * @example
 * fit({ ..., fairness: createAbsldStrategy({ temperatureCoupling: 'product' }) });
 */
export function createAbsldStrategy(options: AbsldOptionsInput = {}): FairnessStrategy<AbsldState> {
  const resolved = parseAbsldOptions(options);
  const { learningRate, range, initialTemperature, rateDecayEpochs, rateDecayFactor, temperatureCoupling, mode, classLoss } = resolved;
  const [minimum, maximum] = range;
  const manual = mode === 'manual';

  return {
    specificationVersion: 'v1',
    id,
    requires: { split: 'train', signals: manual ? [] : ['natural-ce', 'robust-ce'] },
    init: ({ numClasses, learningRateMilestones }) => {
      const decayEpochs = rateDecayEpochs === 'schedule' ? [...(learningRateMilestones ?? [])] : [...rateDecayEpochs];
      if (manual) {
        const temperatures = resolved.manualTemperatures ?? [];
        if (temperatures.length !== numClasses) {
          throw new RangeError(`fairness strategy '${id}': manualTemperatures has ${temperatures.length} entries but the dataset has ${numClasses} classes`);
        }
        return { natural: temperatures.slice(), adversarial: temperatures.slice(), rateDecayEpochs: decayEpochs };
      }
      return { natural: filled(numClasses, initialTemperature), adversarial: filled(numClasses, initialTemperature), rateDecayEpochs: decayEpochs };
    },
    update: (state, statistics) => {
      assertClassCount(id, state.natural.length, statistics);
      // A state saved before `rateDecayEpochs` was kept in it ran with the old fixed default.
      const saved = (state as Partial<AbsldState>).rateDecayEpochs;
      const decayEpochs = saved ? saved.slice() : rateDecayEpochs === 'schedule' ? [215, 260, 285] : [...rateDecayEpochs];
      if (manual) return { natural: state.natural.slice(), adversarial: state.adversarial.slice(), rateDecayEpochs: decayEpochs };
      const rate = absldRate(statistics.epoch, learningRate, decayEpochs, rateDecayFactor);
      const risk = (signal: 'natural-ce' | 'robust-ce'): ClassVector =>
        classLoss === 'sum' ? requireSignal(statistics, signal, id) : classMeans(statistics, signal, id);
      return {
        natural: shiftAgainstRiskGap(state.natural, risk('natural-ce'), rate, minimum, maximum),
        adversarial: shiftAgainstRiskGap(state.adversarial, risk('robust-ce'), rate, minimum, maximum),
        rateDecayEpochs: decayEpochs,
      };
    },
    knobs: (state): ClassKnobs => {
      if (temperatureCoupling === 'product' && !manual) {
        const product = state.adversarial.map((temperature, classIndex) => temperature * (state.natural[classIndex] ?? 1));
        return { temperature: { natural: product, adversarial: product.slice() } };
      }
      return { temperature: { natural: state.natural.slice(), adversarial: state.adversarial.slice() } };
    },
  };
}

/**
 * The temperature learning rate used by the update after 0-based epoch `epoch`:
 * learningRate · factor^(number of milestones ≤ epoch + 1), i.e. the rate of the learning-rate
 * schedule's next epoch (docs/methods/absld.md: the official code decays both before the update).
 */
export function absldRate(epoch: number, learningRate: number, milestones: readonly number[], factor: number): number {
  return learningRate * factor ** milestones.filter((milestone) => milestone <= epoch + 1).length;
}

/**
 * One ABSLD step (docs/methods/absld.md): T_k − rate · (R_k − mean R) / max |R − mean R|, clamped
 * to [minimum, maximum]. Returns a new vector; unchanged when every gap is 0.
 */
export function shiftAgainstRiskGap(temperatures: ClassVector, risks: ClassVector, rate: number, minimum: number, maximum: number): number[] {
  const average = mean(risks);
  const gaps = risks.map((risk) => risk - average);
  const largest = Math.max(...gaps.map(Math.abs));
  if (!(largest > 0)) return temperatures.slice();
  return temperatures.map((temperature, classIndex) => clamp(temperature - (rate * (gaps[classIndex] ?? 0)) / largest, minimum, maximum));
}
