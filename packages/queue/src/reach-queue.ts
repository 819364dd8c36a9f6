import { RobustfairError } from '@robustfair/spec';
import type { Queue } from 'bullmq';
import { redactRedisUrl } from './redis-url.js';

/**
 * Waits until the queue's Redis answers, or fails naming the (redacted) URL and the last
 * connection error. For commands that should not start work, or wait forever, against a Redis
 * that is not there (a typo in the URL, a firewall); once connected they ride out restarts.
 */
export async function reachQueue(queue: Queue, display: string, seconds = 15): Promise<void> {
  let last = 'no answer';
  const remember = (error: Error) => {
    last = redactRedisUrl(error.message);
  };
  queue.on('error', remember);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      // Ready, and answering a command (a wrong password is only found out then).
      queue.waitUntilReady().then(() => queue.getJobCounts('waiting')),
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new RobustfairError(`cannot reach the queue's Redis at ${display} within ${seconds} s (${last}); is it running, and are host, port and password right?`)), seconds * 1000);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    queue.off('error', remember);
  }
}
