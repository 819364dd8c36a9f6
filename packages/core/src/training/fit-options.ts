import type { Attack, ClassSignal, ClassStatistics, Dataset, Distiller, Divergence, EpochRecord, FairnessStrategy, JsonValue, Model, TrainingCallback, TrainingObjective } from '@robustfair/spec';
import type { LearningRateSchedule } from './learning-rate-schedule.js';
import type { SgdOptions } from './sgd.js';

export type { EpochRecord } from '@robustfair/spec';

// What `fit()` takes, what it returns and what it checkpoints (fit.ts runs the loop).

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

