import { selectBackend } from '@robustfair/core';
import { builtinBackendProviders } from '../backend-providers.js';
import type { ProgressReporter } from '../progress/progress-reporter.js';
import { runArmJob } from '../run/run-arm-job.js';
import type { ParentMessage, WorkerMessage } from './worker-protocol.js';

/**
 * The worker side of `runArmsInWorkers`: says it is ready, then runs the arms the parent sends,
 * one at a time, exactly as the parent would (`runArm`: its own root and child container, the
 * same directory, checkpoints and result.json), on the parent's backend. Lines, progress events
 * and printed tables go to the parent; a failed arm is reported as a message. Exits when told,
 * or when the parent goes away.
 */
export function serveArmWorker(): void {
  const channel = process.send?.bind(process);
  if (!channel) throw new Error('the arm worker must be started by the runner (child_process.fork), with an IPC channel');
  const post = (message: WorkerMessage) => {
    channel(message);
  };
  let backend: string | undefined;
  let queue = Promise.resolve();
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'exit') {
      // Sent after the last arm's 'finished' arrived, so nothing is left unsent.
      void queue.then(() => process.exit(0));
      return;
    }
    queue = queue.then(async () => {
      try {
        if (backend !== message.shared.backend.active) {
          await selectBackend(message.shared.backend.active, builtinBackendProviders);
          backend = message.shared.backend.active;
        }
        await runJob(message, post);
        post({ type: 'finished' });
      } catch (error) {
        post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      }
    });
  });
  // The parent was killed: nobody would collect this arm, so stop (its checkpoints stay).
  process.on('disconnect', () => process.exit(1));
  post({ type: 'ready' });
}

async function runJob({ shared, job }: Extract<ParentMessage, { type: 'run-arm' }>, post: (message: WorkerMessage) => void): Promise<void> {
  const reporter: ProgressReporter = {
    info: (message) => post({ type: 'info', message }),
    progress: (event) => post({ type: 'progress', event }),
  };
  await runArmJob(shared, job, { reporter, print: (text) => post({ type: 'print', text }) });
}
