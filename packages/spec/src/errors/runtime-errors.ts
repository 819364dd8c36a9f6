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
