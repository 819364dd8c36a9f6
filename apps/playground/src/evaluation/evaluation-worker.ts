import { describeFailure } from '../page/describe-failure.js';
import { evaluateInPage } from './evaluate-in-page.js';
import type { EvaluationRequest, WorkerMessage } from './protocol.js';

// The worker's entry, so setting onmessage at load is its purpose (loaded by the page with `new Worker(new URL(...), { type: 'module' })`):
// one request per worker; the page ends the worker to cancel and starts a new one per run.
const post = (message: WorkerMessage, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(message, transfer);

self.onmessage = (event: MessageEvent<EvaluationRequest>) => {
  evaluateInPage(event.data, (text, fraction) => post({ type: 'progress', text, fraction })).then(
    (result) => post({ type: 'done', result }, result.grid.flatMap((image) => [image.clean.buffer, image.adversarial.buffer])),
    (error: unknown) => post({ type: 'failed', message: describeFailure(error) }),
  );
};
