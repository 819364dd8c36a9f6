import type { AttackRequest } from '@robustfair/spec';

/**
 * Throws a RangeError naming the attack unless `epsilon` and `labels` have one entry per
 * sample. Every attack checks this first: a mis-shaped ε would otherwise broadcast silently.
 */
export function validateAttackRequest(request: AttackRequest, attackId: string): void {
  const batchSize = request.inputs.shape[0];
  if (request.epsilon.rank !== 1 || request.epsilon.shape[0] !== batchSize) {
    throw new RangeError(
      `${attackId}: epsilon must have shape [${batchSize}] (one radius per sample), got [${request.epsilon.shape.join(', ')}]`,
    );
  }
  if (request.labels.rank !== 1 || request.labels.shape[0] !== batchSize) {
    throw new RangeError(`${attackId}: labels must have shape [${batchSize}], got [${request.labels.shape.join(', ')}]`);
  }
}

/** Throws a RangeError naming the option unless `value` is an integer ≥ `minimum`. */
export function assertInteger(attackId: string, name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new RangeError(`${attackId}: ${name} must be an integer ≥ ${minimum}, got ${value}`);
  }
}
