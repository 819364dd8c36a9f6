import { createServer } from 'node:net';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { reachQueue } from './reach-queue.js';
import { parseRedisUrl } from './redis-url.js';

/** A loopback port nothing listens on (taken, then released). */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });

describe(reachQueue, () => {
  it('fails in time when no Redis answers, naming the redacted URL and the connection error', async () => {
    const target = parseRedisUrl(`redis://alice:never-shown@127.0.0.1:${await closedPort()}`);
    const queue = new Queue('reach-test', { connection: target.options });
    queue.on('error', () => undefined);
    const started = Date.now();
    try {
      const error = await reachQueue(queue, target.display, 1).then(
        () => undefined,
        (failure: Error) => failure,
      );
      expect(error?.message).toMatch(/^cannot reach the queue's Redis at redis:\/\/alice:\*\*\*@127\.0\.0\.1:\d+ within 1 s \(connect ECONNREFUSED .*\); is it running/);
      expect(error?.message).not.toContain('never-shown');
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await queue.close();
    }
  });
});
