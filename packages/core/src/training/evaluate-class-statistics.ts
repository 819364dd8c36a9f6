import type { Attack, ClassSignal, ClassVector, Dataset, Model, Split } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../random/derive-seed.js';
import { createClassAccumulator, type AccumulatedStatistics } from '../statistics/class-accumulator.js';
import { disposeAll } from '../tensor/memory.js';
import { perSampleSignals } from './per-sample-signals.js';

export interface EvaluateClassStatisticsOptions {
  readonly model: Model;
  readonly dataset: Dataset;
  readonly split: Split;
  /** Signals to sum per class; robust ones need `attack`. Loss-term signals are not available here. */
  readonly signals: readonly ClassSignal[];
  readonly attack?: Attack;
  /** Radius: one number, or one per class (gathered by label). */
  readonly epsilon?: number | ClassVector;
  readonly batchSize: number;
  readonly seed: number;
  /** Called after each batch with (done, total) batches. */
  readonly onBatch?: (done: number, total: number) => void;
}

/**
 * Per-class sums of clean and adversarial signals over one split, the model in eval mode for
 * the clean pass (the attack uses its own `modelMode`). One read-back at the end. Used for
 * validation-split strategies (FRL) and for the final class-wise evaluation.
 */
export async function evaluateClassStatistics(options: EvaluateClassStatisticsOptions): Promise<AccumulatedStatistics> {
  const { model, dataset, split, signals, attack, batchSize, seed } = options;
  const needsAttack = signals.some((signal) => signal.startsWith('robust') || signal === 'boundary-error');
  if (needsAttack && !attack) throw new Error(`evaluateClassStatistics: signals ${signals.join(', ')} need an attack`);
  const numClasses = dataset.numClasses;
  const epsilonValue = options.epsilon ?? 0;
  const epsilonByClass = tf.keep(
    tf.tensor1d(typeof epsilonValue === 'number' ? new Array<number>(numClasses).fill(epsilonValue) : [...epsilonValue], 'float32'),
  );
  const accumulator = createClassAccumulator(signals, numClasses);
  const total = Math.ceil(dataset.size(split) / batchSize);
  let index = 0;
  try {
    for await (const batch of dataset.batches(split, { batchSize, shuffle: false, seed: 0 })) {
      const natural = tf.tidy(() => model.logits(batch.inputs, { training: false }));
      let adversarialInputs: tf.Tensor4D | undefined;
      let adversarial: tf.Tensor2D | undefined;
      if (attack && needsAttack) {
        const epsilon = tf.tidy(() => tf.gather(epsilonByClass, tf.cast(batch.labels, 'int32')) as tf.Tensor1D);
        adversarialInputs = attack.perturb({
          model,
          inputs: batch.inputs,
          labels: batch.labels,
          epsilon,
          seed: deriveSeed(seed, 'evaluate', split, index),
        });
        epsilon.dispose();
        adversarial = tf.tidy(() => model.logits(adversarialInputs as tf.Tensor4D, { training: false }));
      }
      const values = perSampleSignals(signals, { labels: batch.labels, natural, adversarial: adversarial ?? natural });
      accumulator.add(batch.labels, values);
      disposeAll(...Object.values(values), natural, adversarial, adversarialInputs, batch.inputs, batch.labels);
      index += 1;
      options.onBatch?.(index, total);
    }
    return await accumulator.read();
  } finally {
    accumulator.dispose();
    epsilonByClass.dispose();
  }
}
