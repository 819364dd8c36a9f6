import { RobustfairError, type ClassSignal } from '@robustfair/spec';

/**
 * A strategy's `update` received statistics without a signal it declared in `requires.signals`,
 * or with per-class vectors that do not match `count`. The message names the strategy and the
 * signal, so a loop that forgot to accumulate it is easy to find.
 */
export class MissingSignalError extends RobustfairError {
  constructor(
    readonly strategyId: string,
    readonly signal: ClassSignal,
    detail: string,
  ) {
    super(`fairness strategy '${strategyId}' needs signal '${signal}': ${detail}`);
    this.name = 'MissingSignalError';
  }
}
