import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, createConnection } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// For tests that need a real Redis: Debian's redis-server (installed by .ci/run), on a free
// loopback port, in a directory of its own. Tests skip with `redisServerMissing` when it is absent.

/** Why Redis tests cannot run here (redis-server is not installed), or undefined when they can. */
export function redisServerMissing(): string | undefined {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return probe.error || probe.status !== 0 ? 'redis-server is not installed (Debian package redis-server; .ci/run installs it): the queue tests are skipped' : undefined;
}

/** A Redis started for a test. */
export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** Stops it (SHUTDOWN, persisting when persistence is on) and starts it again on the same port and directory. */
  restart(options?: { readonly downMilliseconds?: number }): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Sends one inline command and resolves with the first reply line (undefined if unreachable). */
function command(port: number, text: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.setTimeout(2000, () => socket.destroy());
    socket.on('connect', () => socket.write(`${text}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.end();
        resolve(reply.split('\r\n')[0]);
      }
    });
    socket.on('error', () => resolve(undefined));
    socket.on('close', () => resolve(reply === '' ? undefined : reply.split('\r\n')[0]));
  });
}

/**
 * Starts `redis-server` on a free loopback port with no snapshots; `appendOnly` keeps every write
 * in an append-only file so the queue survives `restart()` (production Redis must persist too).
 * Resolves once it answers PING.
 */
export async function startTestRedis(options: { readonly appendOnly?: boolean; readonly password?: string } = {}): Promise<TestRedis> {
  const port = await freePort();
  const directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-redis-'));
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--dir', directory,
    '--appendonly', options.appendOnly ? 'yes' : 'no', '--appendfsync', 'always',
    ...(options.password ? ['--requirepass', options.password] : []),
  ];
  let child: ChildProcess | undefined;
  const auth = options.password ? `AUTH ${options.password}\r\n` : '';
  const start = async () => {
    const started = spawn('redis-server', args, { stdio: 'ignore' });
    child = started;
    for (let attempt = 0; attempt < 100; attempt++) {
      const reply = await command(port, options.password ? `${auth}PING` : 'PING');
      if (reply === '+PONG' || (options.password && reply === '+OK')) return;
      if (started.exitCode !== null) throw new Error(`redis-server exited with code ${started.exitCode} (port ${port}, ${directory})`);
      await sleep(100);
    }
    throw new Error(`redis-server on port ${port} did not answer PING within 10 s`);
  };
  const stopServer = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM'); // redis-server shuts down cleanly on SIGTERM, writing its append-only file
    await exited;
  };
  await start();
  const credentials = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    port,
    url: `redis://${credentials}127.0.0.1:${port}`,
    async restart({ downMilliseconds = 0 } = {}) {
      await stopServer();
      await sleep(downMilliseconds);
      await start();
    },
    async stop() {
      await stopServer();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
