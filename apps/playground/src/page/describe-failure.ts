import { RobustfairError } from '@robustfair/spec';

/**
 * A failure as one sentence for the page. robustfair's own errors already name the file or field
 * and what was expected; anything else (a TF.js kernel missing on a backend, the browser running
 * out of memory) is shown with what was being done, never as a stack trace.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof RobustfairError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  if (/not registered for backend/i.test(message)) {
    return `This backend lacks an operation the model or attack needs (${message}). Choose the cpu backend.`;
  }
  return `The evaluation stopped: ${message}`;
}
