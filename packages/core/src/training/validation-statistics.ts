import {
  IncompatiblePluginsError,
  type Attack,
  type ClassKnobs,
  type ClassSignal,
  type ClassStatistics,
  type Dataset,
  type FairnessStrategy,
  type Model,
} from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../random/derive-seed.js';
import { createClassAccumulator } from '../statistics/class-accumulator.js';
import { disposeAll } from '../tensor/memory.js';
import { evaluateClassStatistics } from './evaluate-class-statistics.js';
import type { KnobTensors } from './knob-tensors.js';
import type { LossPlan } from './loss-plan.js';
import { perSampleSignals } from './per-sample-signals.js';

/** Signals that are the loss's own per-sample terms, so the validation pass must run the loss. */
const lossTermSignals: readonly ClassSignal[] = ['natural-loss', 'robust-loss'];

export interface StrategyValidationOptions {
  readonly model: Model;
  readonly dataset: Dataset;
  readonly fairness: FairnessStrategy;
  readonly attack: Attack;
  readonly batchSize: number;
  readonly plan: LossPlan;
  /** The knobs the pass runs under (the epoch's, or the initial state's before training). */
  readonly knobs: ClassKnobs;
  readonly knobTensors: KnobTensors;
  /** The run's base radius. */
  readonly epsilon: number;
  /** 0-based epoch, −1 before training. */
  readonly epoch: number;
  readonly seed: number;
  readonly onBatch?: (batch: number, batches: number) => void;
}

/**
 * The per-class statistics a validation-split strategy is updated with (FRL, WAT), the model in
 * eval mode throughout. The radius is `requires.validation.epsilon` when the strategy fixes one
 * (FRL: 8/255), else the epoch's per-class ε knobs, else the base ε.
 *
 * Error and CE signals: clean logits and the attack with its own objective
 * ({@link evaluateClassStatistics}). Loss-term signals (`natural-loss`, `robust-loss`, e.g. WAT's
 * TRADES cost CE + β·KL): the pass runs the arm's loss as in a training step, but with eval-mode
 * logits and no gradient step: the loss's attack objective (TRADES: KL to the eval-mode clean
 * prediction), then the loss's unscaled per-sample terms on the clean and adversarial logits.
 */
export async function strategyValidationStatistics(options: StrategyValidationOptions): Promise<ClassStatistics> {
  const { model, dataset, fairness, epoch } = options;
  if (dataset.size('validation') === 0) {
    throw new IncompatiblePluginsError(`strategy '${fairness.id}' reads the validation split, but dataset '${dataset.id}' has none`);
  }
  const signals = fairness.requires.signals;
  const epsilon = fairness.requires.validation?.epsilon ?? options.knobs.epsilon ?? options.epsilon;
  const seed = deriveSeed(options.seed, 'validation', epoch);
  if (!signals.some((signal) => lossTermSignals.includes(signal))) {
    const accumulated = await evaluateClassStatistics({
      model,
      dataset,
      split: 'validation',
      signals,
      attack: options.attack,
      epsilon,
      batchSize: options.batchSize,
      seed,
      ...(options.onBatch ? { onBatch: options.onBatch } : {}),
    });
    return { epoch, split: 'validation', count: accumulated.count, sums: accumulated.sums };
  }
  return lossTermStatistics(options, epsilon, seed);
}

async function lossTermStatistics(options: StrategyValidationOptions, epsilon: number | readonly number[], seed: number): Promise<ClassStatistics> {
  const { model, dataset, fairness, plan, epoch, batchSize } = options;
  const signals = fairness.requires.signals;
  const numClasses = dataset.numClasses;
  const epsilonByClass = tf.keep(tf.tensor1d(typeof epsilon === 'number' ? new Array<number>(numClasses).fill(epsilon) : [...epsilon], 'float32'));
  const accumulator = createClassAccumulator(signals, numClasses);
  const total = Math.ceil(dataset.size('validation') / batchSize);
  let index = 0;
  try {
    for await (const { inputs, labels } of dataset.batches('validation', { batchSize, shuffle: false, seed: 0 })) {
      const batchLoss = plan.prepare({ student: model, inputs, labels, knobs: options.knobTensors, needsCleanEval: true });
      const sampleEpsilon = tf.tidy(() => tf.gather(epsilonByClass, tf.cast(labels, 'int32')) as tf.Tensor1D);
      const objective = batchLoss.attackObjective;
      const adversarialInputs = options.attack.perturb({
        model,
        inputs,
        labels,
        epsilon: sampleEpsilon,
        seed: deriveSeed(seed, 'evaluate', 'validation', index),
        ...(objective ? { objective } : {}),
      });
      batchLoss.afterAttack(adversarialInputs);
      const values = tf.tidy(() => {
        const natural = batchLoss.cleanEval ?? model.logits(inputs, { training: false });
        const adversarial = model.logits(adversarialInputs, { training: false });
        const terms = batchLoss.terms(labels, { natural, adversarial });
        return perSampleSignals(signals, { labels, natural, adversarial, naturalLoss: terms.natural, robustLoss: terms.robust });
      });
      accumulator.add(labels, values);
      batchLoss.dispose();
      disposeAll(...Object.values(values), sampleEpsilon, adversarialInputs, inputs, labels);
      index += 1;
      options.onBatch?.(index, total);
    }
    const accumulated = await accumulator.read();
    return { epoch, split: 'validation', count: accumulated.count, sums: accumulated.sums };
  } finally {
    accumulator.dispose();
    epsilonByClass.dispose();
  }
}
