import {
  IncompatiblePluginsError,
  TrainingDivergedError,
  type Divergence,
  type Attack,
  type ClassKnobs,
  type ClassSignal,
  type ClassStatistics,
  type Dataset,
  type FairnessStrategy,
  type JsonValue,
  type Model,
  type TrainingCallback,
  type Distiller,
  type TrainingObjective,
} from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed } from '../random/derive-seed.js';
import { createClassAccumulator } from '../statistics/class-accumulator.js';
import { disposeAll } from '../tensor/memory.js';
import { createDivergenceMonitor } from './divergence-monitor.js';
import { captureModelWeights, restoreModelWeights } from '../tensor/model-weights.js';
import { uploadKnobs, type KnobTensors } from './knob-tensors.js';
import { learningRateAt, type LearningRateSchedule } from './learning-rate-schedule.js';
import { distillerLossPlan, objectiveLossPlan, type LossPlan } from './loss-plan.js';
import { naturalSignals, perSampleSignals } from './per-sample-signals.js';
import { createSgdOptimizer, type SgdOptimizer, type SgdOptions } from './sgd.js';
import { strategyValidationStatistics } from './validation-statistics.js';

export interface FitOptions {
  readonly model: Model;
  readonly dataset: Dataset;
  /** The training attack; run outside the gradient tape (the tfjs equivalent of `detach()`). */
  readonly attack: Attack;
  /** A teacher-free objective (SAT, TRADES); or give `distiller` and `teacher` instead. */
  readonly objective?: TrainingObjective;
  /** A robust distillation loss (ARD, RSLAD; ABSLD = rslad + strategy absld), with its frozen teacher. */
  readonly distiller?: Distiller;
  readonly teacher?: Model;
  readonly fairness: FairnessStrategy;
  readonly epochs: number;
  readonly batchSize: number;
  /** Base radius in input units; `knobs.epsilon` overrides it per class. */
  readonly epsilon: number;
  readonly optimizer: SgdOptions;
  readonly schedule: LearningRateSchedule;
  readonly seed: number;
  readonly callbacks?: readonly TrainingCallback[];
  /** Read the batch loss back every N batches for `onBatchEnd` (0: never). Each read is a device sync. */
  readonly logEvery?: number;
  /** Extra per-class training signals to record for results, beyond what the strategy needs. */
  readonly recordSignals?: readonly ClassSignal[];
  /**
   * For strategies that read the validation split (FRL): the attack and batch size used there,
   * and an optional progress hook called after each validation batch.
   */
  readonly validation?: {
    readonly attack: Attack;
    readonly batchSize: number;
    readonly onBatch?: (progress: { readonly epoch: number; readonly batch: number; readonly batches: number }) => void;
  };
  /** Called after every epoch with everything needed to continue from there. */
  readonly checkpoint?: { save(checkpoint: FitCheckpoint): Promise<void> };
  /** Continue from a checkpoint: its weights and buffers are loaded, its epochs are not re-run. */
  readonly resumeFrom?: FitCheckpoint;
  /**
   * A non-finite batch loss or weight (checked on the device, read once per epoch): `'fail'`
   * (default) throws a TrainingDivergedError naming the epoch and batch; `'stop'` restores the
   * weights of the epoch's start, ends training there and reports it in `diverged`. Either way
   * the diverged epoch is neither recorded nor checkpointed.
   */
  readonly onNonFinite?: 'fail' | 'stop';
}

/**
 * The whole training state after an epoch. No RNG state is needed: every random stream
 * (shuffle, augmentation, attack starts) is derived from the seed and the epoch/batch index.
 */
export interface FitCheckpoint {
  readonly completedEpochs: number;
  readonly strategyState: JsonValue;
  readonly records: readonly EpochRecord[];
  readonly callbackStates: Readonly<Record<string, JsonValue>>;
  /** Values of `model.namedVariables()`, in order (trainable weights and batch-norm statistics). */
  readonly weights: readonly Float32Array[];
  /** SGD momentum per `model.trainableVariables()` entry, in order. */
  readonly momentum: readonly (Float32Array | null)[];
}

/** What one epoch did, in plain numbers. */
export interface EpochRecord {
  readonly epoch: number;
  readonly learningRate: number;
  readonly knobs: ClassKnobs;
  /** Training-set per-class sums (strategy signals and `recordSignals`). */
  readonly statistics: ClassStatistics;
  /** What the strategy was updated with, when it differs from `statistics` (validation split). */
  readonly strategyStatistics?: ClassStatistics;
  /** Strategy state after this epoch's update. */
  readonly strategyState: JsonValue;
  readonly meanLoss: number;
  readonly seconds: number;
}

export interface FitResult {
  readonly epochs: readonly EpochRecord[];
  /**
   * The validation update on the initial model before epoch 0, for strategies that ask for it
   * (`requires.validation.beforeTraining`, FRL): its statistics and the state it produced.
   */
  readonly initialUpdate?: { readonly statistics: ClassStatistics; readonly strategyState: JsonValue };
  readonly strategyState: JsonValue;
  readonly stopped?: string;
  /** Set when training stopped on a non-finite loss or weight (`onNonFinite: 'stop'`). */
  readonly diverged?: Divergence;
}

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
          await callback.onEpochEnd?.(
            { epoch, epochs: options.epochs, statistics, metrics: { loss: record.meanLoss, learningRate }, strategyState: state, seconds: record.seconds },
            control,
          );
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

interface StepContext extends FitOptions {
  readonly plan: LossPlan;
  readonly knobTensors: KnobTensors;
  readonly learningRateTensor: tf.Scalar;
  readonly sgd: ReturnType<typeof createSgdOptimizer>;
  readonly variables: readonly tf.Variable[];
  readonly accumulator: ReturnType<typeof createClassAccumulator>;
  readonly trainSignals: readonly ClassSignal[];
  readonly needsCleanEval: boolean;
  readonly reduction: NonNullable<ClassKnobs['reduction']>;
}

/** One batch: attack, weighted loss, SGD step, per-class sums. Returns the batch loss (owned by the caller). */
function trainStep(context: StepContext, inputs: tf.Tensor4D, labels: tf.Tensor1D, attackSeed: number): tf.Scalar {
  const { model, plan, knobTensors } = context;
  const epsilon = tf.tidy(() => tf.gather(knobTensors.epsilon, tf.cast(labels, 'int32')) as tf.Tensor1D);
  const batchLoss = plan.prepare({ student: model, inputs, labels, knobs: knobTensors, needsCleanEval: context.needsCleanEval });
  const attackObjective = batchLoss.attackObjective;
  const request = { model, inputs, labels, epsilon, seed: attackSeed, ...(attackObjective ? { objective: attackObjective } : {}) };
  let adversarialInputs: tf.Tensor4D;
  let stepsCorrect: tf.Tensor1D | undefined;
  if (context.trainSignals.includes('kappa')) {
    if (!context.attack.perturbWithTrace) {
      throw new IncompatiblePluginsError(`signal 'kappa' needs an attack with perturbWithTrace; attack '${context.attack.id}' has none`);
    }
    ({ adversarial: adversarialInputs, stepsCorrect } = context.attack.perturbWithTrace(request));
  } else {
    adversarialInputs = context.attack.perturb(request);
  }
  batchLoss.afterAttack(adversarialInputs);

  let signals: Partial<Record<ClassSignal, tf.Tensor1D>> = {};
  const { value, grads } = tf.variableGrads(
    () =>
      tf.tidy(() => {
        const forward = (batch: tf.Tensor4D) => model.logits(batch, { training: true });
        let natural: tf.Tensor2D | undefined;
        let adversarial: tf.Tensor2D;
        if (plan.needsNaturalLogits && plan.forwardOrder === 'natural-first') {
          natural = forward(inputs);
          adversarial = forward(adversarialInputs);
        } else {
          adversarial = forward(adversarialInputs);
          if (plan.needsNaturalLogits) natural = forward(inputs);
        }
        const terms = batchLoss.terms(labels, { natural: natural ?? adversarial, adversarial });
        const index = tf.cast(labels, 'int32');
        const naturalWeight = tf.gather(knobTensors.naturalWeight, index);
        const robustWeight = tf.gather(knobTensors.robustWeight, index);
        const { natural: naturalCoefficient, robust: robustCoefficient } = plan.coefficients;
        const weightedNatural = tf.mul(naturalWeight, terms.natural) as tf.Tensor1D;
        const weightedRobust = tf.mul(robustWeight, terms.robust) as tf.Tensor1D;
        const loss = reduceLoss(weightedNatural, weightedRobust, naturalWeight, robustWeight, naturalCoefficient, robustCoefficient, context.reduction);
        const clean = natural ?? batchLoss.cleanEval;
        signals = perSampleSignals(context.trainSignals, {
          labels,
          adversarial,
          naturalLoss: terms.natural,
          robustLoss: terms.robust,
          ...(clean ? { natural: clean } : {}),
          ...(stepsCorrect ? { stepsCorrect } : {}),
        });
        for (const tensor of Object.values(signals)) tf.keep(tensor);
        return loss;
      }),
    [...context.variables],
  );
  context.sgd.step(grads, context.learningRateTensor);
  context.accumulator.add(labels, signals, value);
  batchLoss.dispose();
  disposeAll(...Object.values(grads), ...Object.values(signals), epsilon, adversarialInputs, stepsCorrect);
  return value;
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

function reduceLoss(
  weightedNatural: tf.Tensor1D,
  weightedRobust: tf.Tensor1D,
  naturalWeight: tf.Tensor,
  robustWeight: tf.Tensor,
  naturalCoefficient: number,
  robustCoefficient: number,
  reduction: NonNullable<ClassKnobs['reduction']>,
): tf.Scalar {
  if (reduction === 'mean') {
    return tf.mean(tf.add(tf.mul(weightedNatural, naturalCoefficient), tf.mul(weightedRobust, robustCoefficient)));
  }
  if (reduction === 'joint-weight-normalised') {
    const weighted = tf.add(tf.mul(weightedNatural, naturalCoefficient), tf.mul(weightedRobust, robustCoefficient));
    return tf.div(tf.sum(weighted), tf.add(tf.sum(naturalWeight), tf.sum(robustWeight)));
  }
  const natural = tf.div(tf.sum(weightedNatural), tf.sum(naturalWeight));
  const robust = tf.div(tf.sum(weightedRobust), tf.sum(robustWeight));
  return tf.add(tf.mul(natural, naturalCoefficient), tf.mul(robust, robustCoefficient));
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

async function captureCheckpoint(
  completedEpochs: number,
  strategyState: JsonValue,
  records: readonly EpochRecord[],
  model: Model,
  optimizer: SgdOptimizer,
  callbacks: readonly TrainingCallback[],
): Promise<FitCheckpoint> {
  const weights = await captureModelWeights(model);
  const callbackStates: Record<string, JsonValue> = {};
  for (const callback of callbacks) if (callback.state) callbackStates[callback.id] = callback.state();
  return { completedEpochs, strategyState, records: [...records], callbackStates, weights, momentum: await optimizer.exportBuffers() };
}

function restoreCheckpoint(checkpoint: FitCheckpoint, model: Model, optimizer: SgdOptimizer, callbacks: readonly TrainingCallback[]): void {
  restoreModelWeights(model, checkpoint.weights);
  optimizer.importBuffers(checkpoint.momentum);
  for (const callback of callbacks) {
    const saved = checkpoint.callbackStates[callback.id];
    if (saved !== undefined) callback.restore?.(saved);
  }
}
