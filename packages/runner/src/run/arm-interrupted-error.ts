import { RobustfairError } from '@robustfair/spec';

/** An arm stopped on request (`ArmControl.signal`) right after it checkpointed an epoch. */
export class ArmInterruptedError extends RobustfairError {
  constructor(
    readonly label: string,
    readonly completedEpochs: number,
    readonly armDirectory: string,
  ) {
    super(`arm '${label}' stopped on request after epoch ${completedEpochs} (checkpointed in ${armDirectory}); it continues from there when resumed`);
    this.name = 'ArmInterruptedError';
  }
}
