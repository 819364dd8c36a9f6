import type { Server } from 'node:http';
import { isIP } from 'node:net';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { RobustfairError } from '@robustfair/spec';
import { Queue } from 'bullmq';
import express from 'express';
import { armQueueName } from './arm-job-data.js';
import { reachQueue } from './reach-queue.js';
import { parseRedisUrl, redactRedisUrl } from './redis-url.js';

/** How `serveDashboard` serves the queue's page. */
export interface DashboardOptions {
  readonly queue: string;
  /** Address to listen on. Default 127.0.0.1: the page has no login and can retry or remove jobs. */
  readonly host?: string;
  /** Default 3000; 0 picks a free port. */
  readonly port?: number;
  /** Required to listen on anything but a loopback address. */
  readonly allowRemote?: boolean;
  readonly onError?: (message: string) => void;
}

/** A running dashboard: where it listens, and how to stop it. */
export interface Dashboard {
  readonly url: string;
  close(): Promise<void>;
}

/** Whether an address is this machine's loopback (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}

/**
 * `robustfair dashboard`: Bull Board's page of the arms queue (jobs by state, progress, each
 * failure's error, retries) on `http://host:port/`. Loopback only unless `allowRemote`: the
 * page has no authentication, so exposing it is a decision, not a default.
 */
export async function serveDashboard(options: DashboardOptions): Promise<Dashboard> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && options.allowRemote !== true) {
    throw new RobustfairError(`dashboard --host ${host}: not a loopback address; the dashboard has no login and can retry or remove jobs, so listening on ${host} needs --allow-remote`);
  }
  const target = parseRedisUrl(options.queue);
  const queue = new Queue(armQueueName, { connection: target.options });
  queue.on('error', (error: Error) => options.onError?.(`queue ${target.display}: ${redactRedisUrl(error.message)}`));
  try {
    await reachQueue(queue, target.display);
  } catch (error) {
    await queue.close();
    throw error;
  }
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath('/');
  createBullBoard({ queues: [new BullMQAdapter(queue)], serverAdapter, options: { uiConfig: { boardTitle: 'robustfair arms' } } });
  const app = express();
  app.use('/', serverAdapter.getRouter() as express.Router);
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(options.port ?? 3000, host, (error?: Error) => (error ? reject(error) : resolve(listening)));
      listening.once('error', reject);
    });
  } catch (error) {
    await queue.close();
    throw new RobustfairError(`dashboard: cannot listen on ${host}:${options.port ?? 3000} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}/`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await queue.close();
    },
  };
}
