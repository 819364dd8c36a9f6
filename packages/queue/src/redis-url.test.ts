import { describe, expect, it } from 'vitest';
import { parseRedisUrl, redactRedisUrl } from './redis-url.js';

describe(redactRedisUrl, () => {
  it('replaces the password, keeps the rest', () => {
    expect(redactRedisUrl('redis://alice:s3cr%40t@db.example:6380/2')).toBe('redis://alice:***@db.example:6380/2');
    expect(redactRedisUrl('rediss://:hunter2@10.0.0.5:6379')).toBe('rediss://:***@10.0.0.5:6379');
  });
  it('leaves URLs without a password as they are', () => {
    expect(redactRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactRedisUrl('redis://alice@host:1')).toBe('redis://alice@host:1');
  });
  it('hides a password holding "@" or ":" (everything up to the last "@" of the authority)', () => {
    expect(redactRedisUrl('redis://u:p@ss:w@rd@host:1/0')).toBe('redis://u:***@host:1/0');
  });
  it('redacts every URL in a text, such as a command line or an error message', () => {
    expect(redactRedisUrl('worker --queue redis://:one@a:1 then rediss://bob:two@b:2/3 and http://x:three@c/')).toBe(
      'worker --queue redis://:***@a:1 then rediss://bob:***@b:2/3 and http://x:***@c/',
    );
  });
});

describe(parseRedisUrl, () => {
  it('reads user, password, host, port and database, and shows the URL redacted', () => {
    const target = parseRedisUrl('redis://alice:s3cr%40t@db.example:6380/2');
    expect(target.options).toMatchObject({ host: 'db.example', port: 6380, db: 2, username: 'alice', password: 's3cr@t', maxRetriesPerRequest: null });
    expect(target.options.tls).toBeUndefined();
    expect(target.display).toBe('redis://alice:***@db.example:6380/2');
  });
  it('defaults port 6379 and database 0; rediss:// turns TLS on', () => {
    const target = parseRedisUrl('rediss://:pw@cache.internal');
    expect(target.options).toMatchObject({ host: 'cache.internal', port: 6379, db: 0, password: 'pw', tls: { servername: 'cache.internal' } });
    expect(target.options.username).toBeUndefined();
  });
  it('fails naming the redacted URL and what was expected, never the password', () => {
    const cases: [string, RegExp][] = [
      ['http://u:topsecret@host:1', /scheme is 'http'/],
      ['redis://u:topsecret@host:1/db7', /database 'db7' is not a whole number/],
      ['redis://u:topsecret@host:1/0?timeout=1', /query strings/],
      ['not a url u:topsecret@', /not a URL/],
    ];
    for (const [url, problem] of cases) {
      let message = '';
      try {
        parseRedisUrl(url);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, url).toMatch(problem);
      expect(message, url).toContain('expected redis://[user:password@]host:port[/db]');
      expect(message, url).not.toContain('topsecret');
    }
  });
});
