import { RobustfairError } from './robustfair-error.js';

/** A call left tensors alive that it should have disposed. */
export class TensorLeakError extends RobustfairError {
  constructor(
    readonly label: string,
    readonly leaked: number,
  ) {
    super(`${label}: ${leaked} tensor(s) leaked (tf.memory().numTensors grew by ${leaked})`);
    this.name = 'TensorLeakError';
  }
}

/** The requested backend cannot run here; the message says why. */
export class BackendUnavailableError extends RobustfairError {
  constructor(
    readonly backend: string,
    readonly reason: string,
  ) {
    super(`backend '${backend}' is not available: ${reason}`);
    this.name = 'BackendUnavailableError';
  }
}

/** Data that is missing, truncated or malformed; the message names the source and what was expected. */
export class DatasetError extends RobustfairError {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}

/**
 * A file a run reads from its own directory (checkpoint, state, manifest, weights) is missing,
 * damaged or does not match what the run expects. The message names the file, the field and
 * what was expected; nothing is deleted or trusted on the strength of such a file.
 */
export class RunFileError extends RobustfairError {
  constructor(
    readonly file: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${problem}`, options);
    this.name = 'RunFileError';
  }
}

/** Where training stopped producing finite numbers. */
export interface Divergence {
  /** 0-based epoch. */
  readonly epoch: number;
  /** 0-based batch of the first non-finite loss; absent when only the weights at the epoch's end were. */
  readonly batch?: number;
  /** What was not finite: a batch loss (so the logits or the weights), or the weights after the last step. */
  readonly what: 'loss' | 'weights';
}

/**
 * Training produced a NaN or infinite loss or weight (a learning rate far too high, a NaN
 * teacher, damaged data). The message names the epoch and batch (both 1-based, as progress
 * lines print them); nothing after that point was checkpointed.
 */
export class TrainingDivergedError extends RobustfairError {
  constructor(
    readonly divergence: Divergence,
    readonly label?: string,
  ) {
    const where = `epoch ${divergence.epoch + 1}${divergence.batch === undefined ? '' : `, batch ${divergence.batch + 1}`}`;
    const what = divergence.what === 'loss' ? 'the training loss is not finite (NaN or infinity)' : 'the weights hold a value that is not finite (NaN or infinity)';
    super(`${label === undefined ? '' : `[${label}] `}training diverged in ${where}: ${what}. Lower the learning rate, or check the data and the teacher; training.onNonFinite: 'stop' keeps the last finite weights and flags the result instead.`);
    this.name = 'TrainingDivergedError';
  }
}
