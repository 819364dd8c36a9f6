import type { RedisOptions } from 'bullmq';
import { redactUrlPasswords } from '@robustfair/runner';
import { RobustfairError } from '@robustfair/spec';

/** A `--queue` URL that is not `redis://[user:password@]host:port[/db]` (or `rediss://`). */
export class RedisUrlError extends RobustfairError {
  constructor(url: string | undefined, problem: string) {
    // A value that is not a URL at all is not echoed: where its password would be is anyone's guess.
    const shown = url === undefined ? '--queue' : `--queue '${redactRedisUrl(url)}'`;
    super(`${shown}: ${problem}; expected redis://[user:password@]host:port[/db] (rediss:// for TLS)`);
    this.name = 'RedisUrlError';
  }
}

/**
 * The URL with its password replaced by `***`: the one form of a Redis URL that is printed,
 * logged or written anywhere. It is the runner's `redactUrlPasswords` (which the arm lock's
 * recorded command line goes through too), so text holding a URL is redacted the same way.
 */
export function redactRedisUrl(url: string): string {
  return redactUrlPasswords(url);
}

/** Where a queue lives: the ioredis options of a Redis URL, and the URL as it may be shown. */
export interface RedisTarget {
  readonly options: RedisOptions;
  /** The URL without its password. */
  readonly display: string;
}

/**
 * Parses `redis://[user:password@]host:port[/db]` (`rediss://`: TLS) into ioredis options. The
 * options retry every command across a Redis restart (`maxRetriesPerRequest: null`, as BullMQ's
 * workers require) instead of failing it.
 */
export function parseRedisUrl(url: string): RedisTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RedisUrlError(undefined, 'the value is not a URL (not shown: it may hold a password)');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new RedisUrlError(url, `the scheme is '${parsed.protocol.replace(/:$/, '')}'`);
  if (parsed.hostname === '') throw new RedisUrlError(url, 'no host');
  const port = parsed.port === '' ? 6379 : Number(parsed.port);
  const dbText = parsed.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d+$/.test(dbText)) throw new RedisUrlError(url, `the database '${dbText}' is not a whole number`);
  if (parsed.search !== '' || parsed.hash !== '') throw new RedisUrlError(url, 'query strings and fragments are not read');
  const options: RedisOptions = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    db: dbText === '' ? 0 : Number(dbText),
    maxRetriesPerRequest: null,
    ...(parsed.username === '' ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === '' ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(parsed.protocol === 'rediss:' ? { tls: { servername: parsed.hostname } } : {}),
  };
  return { options, display: redactRedisUrl(url) };
}
