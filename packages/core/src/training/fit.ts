import {
  IncompatiblePluginsError,
  TrainingDivergedError,
  type ClassKnobs,
  type ClassStatistics,
  type Divergence,
  type EpochRecord,
  type JsonValue,
} from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../random/derive-seed.js';
import { createClassAccumulator } from '../statistics/class-accumulator.js';
import { disposeAll } from '../tensor/memory.js';
import { createDivergenceMonitor } from './divergence-monitor.js';
import { captureCheckpoint, restoreCheckpoint } from './fit-checkpoint.js';
import type { FitOptions, FitResult } from './fit-options.js';
import { uploadKnobs, type KnobTensors } from './knob-tensors.js';
import { learningRateAt } from './learning-rate-schedule.js';
import { distillerLossPlan, objectiveLossPlan, type LossPlan } from './loss-plan.js';
import { naturalSignals } from './per-sample-signals.js';
import { createSgdOptimizer } from './sgd.js';
import { trainStep } from './train-step.js';
import { strategyValidationStatistics } from './validation-statistics.js';

export type { EpochRecord, FitCheckpoint, FitOptions, FitResult } from './fit-options.js';

/**
 * Adversarial training with a fairness strategy (HOUSE-STYLE B6). Per epoch: knobs once,
 * uploaded once; per batch: attack outside the tape, per-sample loss terms weighted by class
 * knobs and reduced once, an SGD step, per-class sums on the device; one read-back at epoch end,
 * then `fairness.update`. Callbacks see numbers only.
 */
export async function fit(options: FitOptions): Promise<FitResult> {
  const { model, dataset, fairness, seed } = options;
  const plan = lossPlanOf(options);
  const numClasses = dataset.numClasses;
  if (model.numClasses !== numClasses) {
    throw new IncompatiblePluginsError(`model has ${model.numClasses} classes but dataset '${dataset.id}' has ${numClasses}`);
  }
  const callbacks = options.callbacks ?? [];
  const requirements = fairness.requires;
  const trainSignals = [...new Set([...(requirements.split === 'train' ? requirements.signals : []), ...(options.recordSignals ?? [])])];
  const needsCleanEval = trainSignals.some((signal) => naturalSignals.includes(signal)) && !plan.needsNaturalLogits;
  const variables = model.trainableVariables();
  const optimizer = createSgdOptimizer(variables, options.optimizer);
  const batches = Math.ceil(dataset.size('train') / options.batchSize);
  const learningRateMilestones = options.schedule.type === 'multistep' ? [...options.schedule.milestones] : [];
  let state: JsonValue = fairness.init({ numClasses, epsilon: options.epsilon, epochs: options.epochs, learningRateMilestones });
  const records: EpochRecord[] = [];
  let stopped: string | undefined;
  let diverged: Divergence | undefined;
  let firstEpoch = 0;
  if (options.resumeFrom) {
    restoreCheckpoint(options.resumeFrom, model, optimizer, callbacks);
    state = options.resumeFrom.strategyState;
    records.push(...options.resumeFrom.records);
    firstEpoch = options.resumeFrom.completedEpochs;
  }
  let initialUpdate: FitResult['initialUpdate'];
  try {
    // --- validation update before training (FRL's update on the hot-start model) ---
    if (!options.resumeFrom && requirements.split === 'validation' && requirements.validation?.beforeTraining) {
      const initialKnobs = fairness.knobs(state);
      const initialKnobTensors = uploadKnobs(initialKnobs, numClasses, options.epsilon);
      try {
        const statistics = await validationStatistics({ ...options, plan }, initialKnobs, initialKnobTensors, -1);
        state = fairness.update(state, statistics);
        initialUpdate = { statistics, strategyState: state };
      } finally {
        initialKnobTensors.dispose();
      }
    }
    // --- end of the validation update before training ---
    for (let epoch = firstEpoch; epoch < options.epochs && stopped === undefined; epoch++) {
      const started = performance.now();
      const knobs = fairness.knobs(state);
      if (knobs.temperature && !plan.acceptsTemperature) {
        throw new IncompatiblePluginsError(
          `strategy '${fairness.id}' sets teacher temperatures, but '${plan.id}' does not accept them; use a distiller that does (rslad)`,
        );
      }
      const learningRate = learningRateAt(options.schedule, options.optimizer.learningRate, epoch, options.epochs);
      for (const callback of callbacks) await callback.onEpochStart?.({ epoch, epochs: options.epochs, knobs, learningRate });

      const knobTensors = uploadKnobs(knobs, numClasses, options.epsilon);
      const learningRateTensor = tf.keep(tf.scalar(learningRate));
      const accumulator = createClassAccumulator(trainSignals, numClasses);
      const divergence = createDivergenceMonitor();
      // Only under 'stop': a copy of the epoch's starting weights to fall back on (one device copy per epoch).
      const startingWeights = options.onNonFinite === 'stop' ? model.namedVariables().map(({ variable }) => tf.keep(tf.clone(variable))) : [];
      try {
        let batch = 0;
        const order = { batchSize: options.batchSize, shuffle: true, seed: deriveSeed(seed, 'shuffle', epoch) };
        for await (const { inputs, labels } of dataset.batches('train', order)) {
          const loss = trainStep({ ...options, plan, knobTensors, learningRateTensor, sgd: optimizer, variables, accumulator, trainSignals, needsCleanEval, reduction: knobs.reduction ?? 'mean' }, inputs, labels, deriveSeed(seed, 'attack', epoch, batch));
          const logStep = (options.logEvery ?? 0) > 0 && (batch + 1) % (options.logEvery ?? 1) === 0;
          const lossValue = logStep ? (await loss.data())[0] : undefined;
          divergence.add(loss, batch);
          disposeAll(loss, inputs, labels);
          for (const callback of callbacks) {
            await callback.onBatchEnd?.({ epoch, batch, batches, ...(lossValue === undefined ? {} : { loss: lossValue }) });
          }
          batch += 1;
        }
        const accumulated = await accumulator.read();
        const problem = await divergence.read(epoch, model);
        if (problem) {
          if (options.onNonFinite !== 'stop') throw new TrainingDivergedError(problem);
          model.namedVariables().forEach(({ variable }, index) => variable.assign(startingWeights[index]!));
          diverged = problem;
          stopped = new TrainingDivergedError(problem).message;
          continue; // the loop ends: `stopped` is set
        }
        const statistics: ClassStatistics = { epoch, split: 'train', count: accumulated.count, sums: accumulated.sums };
        const strategyStatistics = requirements.split === 'validation' ? await validationStatistics({ ...options, plan }, knobs, knobTensors, epoch) : undefined;
        state = fairness.update(state, strategyStatistics ?? statistics);
        const record: EpochRecord = {
          epoch,
          learningRate,
          knobs,
          statistics,
          ...(strategyStatistics ? { strategyStatistics } : {}),
          strategyState: state,
          meanLoss: accumulated.batches > 0 ? accumulated.lossSum / accumulated.batches : Number.NaN,
          seconds: (performance.now() - started) / 1000,
        };
        records.push(record);
        const control = { stop: (reason: string) => void (stopped = reason) };
        for (const callback of callbacks) {
          const metrics = { loss: record.meanLoss, learningRate };
          await callback.onEpochEnd?.({ epoch, epochs: options.epochs, statistics, metrics, strategyState: state, seconds: record.seconds, record }, control);
        }
        if (options.checkpoint) {
          await options.checkpoint.save(await captureCheckpoint(epoch + 1, state, records, model, optimizer, callbacks));
        }
      } finally {
        accumulator.dispose();
        divergence.dispose();
        disposeAll(...startingWeights);
        knobTensors.dispose();
        learningRateTensor.dispose();
      }
    }
    // After the last epoch, or a stop: callbacks that choose the final weights write them now.
    for (const callback of callbacks) await callback.onTrainEnd?.();
  } finally {
    optimizer.dispose();
  }
  return {
    epochs: records,
    strategyState: state,
    ...(initialUpdate ? { initialUpdate } : {}),
    ...(stopped === undefined ? {} : { stopped }),
    ...(diverged === undefined ? {} : { diverged }),
  };
}

function lossPlanOf(options: FitOptions): LossPlan {
  if (options.objective && options.distiller) {
    throw new IncompatiblePluginsError(`fit() takes an objective ('${options.objective.id}') or a distiller ('${options.distiller.id}'), not both`);
  }
  if (options.distiller) {
    if (!options.teacher) throw new IncompatiblePluginsError(`distiller '${options.distiller.id}' needs a teacher model`);
    if (options.teacher.numClasses !== options.model.numClasses) {
      throw new IncompatiblePluginsError(`teacher has ${options.teacher.numClasses} classes, the student ${options.model.numClasses}`);
    }
    return distillerLossPlan(options.distiller, options.teacher);
  }
  if (!options.objective) throw new IncompatiblePluginsError('fit() needs an objective (sat, trades) or a distiller and a teacher');
  return objectiveLossPlan(options.objective);
}

async function validationStatistics(
  options: FitOptions & { readonly plan: LossPlan },
  knobs: ClassKnobs,
  knobTensors: KnobTensors,
  epoch: number,
): Promise<ClassStatistics> {
  const validation = options.validation;
  if (!validation) {
    throw new IncompatiblePluginsError(`strategy '${options.fairness.id}' reads the validation split; fit() needs a 'validation' attack`);
  }
  return strategyValidationStatistics({
    model: options.model,
    dataset: options.dataset,
    fairness: options.fairness,
    attack: validation.attack,
    batchSize: validation.batchSize,
    plan: options.plan,
    knobs,
    knobTensors,
    epsilon: options.epsilon,
    epoch,
    seed: options.seed,
    ...(validation.onBatch ? { onBatch: (batch: number, batches: number) => validation.onBatch?.({ epoch, batch, batches }) } : {}),
  });
}
