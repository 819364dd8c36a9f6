const marker = Symbol.for('robustfair.error');

/**
 * Base of every error robustfair throws. `isInstance` works across duplicated package copies
 * (a `Symbol.for` marker, not `instanceof`), as in the Vercel AI SDK.
 */
export class RobustfairError extends Error {
  readonly [marker] = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RobustfairError';
  }

  static isInstance(error: unknown): error is RobustfairError {
    return typeof error === 'object' && error !== null && marker in error;
  }
}
