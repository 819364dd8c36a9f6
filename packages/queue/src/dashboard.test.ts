import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { armQueueName } from './arm-job-data.js';
import { isLoopback, serveDashboard } from './dashboard.js';
import { parseRedisUrl } from './redis-url.js';
import { redisServerMissing, startTestRedis, type TestRedis } from './testing/redis-server.js';

// Needs Debian's redis-server; skipped with the reason when it is not installed.
const missing = redisServerMissing();
if (missing) console.warn(missing);

let redis: TestRedis | undefined;
beforeAll(async () => {
  if (!missing) redis = await startTestRedis({ password: 'dashboard-secret' });
});
afterAll(async () => {
  await redis?.stop();
});

describe(isLoopback, () => {
  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['0.0.0.0', '192.168.1.4', '::', 'example.org'].map(isLoopback)).toEqual([false, false, false, false]);
  });
});

describe.skipIf(missing !== undefined)(serveDashboard, () => {
  it('serves the queue on 127.0.0.1 by default, listing the arms queue and its jobs', async () => {
    const url = (redis as TestRedis).url;
    const queue = new Queue(armQueueName, { connection: parseRedisUrl(url).options });
    await queue.add('identity-seed0', { label: 'identity-seed0' }, { jobId: 'arm-dashboard-test' });
    const dashboard = await serveDashboard({ queue: url, port: 0 });
    try {
      expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetch(dashboard.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('robustfair arms');
      const queues = (await (await fetch(`${dashboard.url}api/queues`)).json()) as { queues: { name: string; counts: Record<string, number> }[] };
      const listed = queues.queues.find((entry) => entry.name === armQueueName);
      expect(listed?.counts['waiting']).toBe(1);
      // nothing the page serves carries the Redis password
      expect(JSON.stringify(queues)).not.toContain('dashboard-secret');
    } finally {
      await dashboard.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('refuses a non-loopback address unless allowed, naming it', async () => {
    const url = (redis as TestRedis).url;
    await expect(serveDashboard({ queue: url, host: '0.0.0.0', port: 0 })).rejects.toThrow(/--host 0\.0\.0\.0: not a loopback address.*--allow-remote/);
    const remote = await serveDashboard({ queue: url, host: '0.0.0.0', port: 0, allowRemote: true });
    expect(remote.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+\/$/);
    await remote.close();
  });
});
