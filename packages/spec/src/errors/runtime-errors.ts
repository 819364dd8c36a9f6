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
