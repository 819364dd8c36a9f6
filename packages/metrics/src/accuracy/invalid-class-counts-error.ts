import { RobustfairError } from '@robustfair/spec';

/** `ClassCounts` that no accuracy can be computed from; the message names the class or field. */
export class InvalidClassCountsError extends RobustfairError {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidClassCountsError';
  }
}
