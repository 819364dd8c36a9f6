import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Which paths were fsynced, recorded by wrapping the real `open` (issue 13 item 10: durability on power loss).
const synced = vi.hoisted(() => [] as string[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const open = async (...args: Parameters<typeof actual.open>) => {
    const handle = await actual.open(...args);
    const sync = handle.sync.bind(handle);
    handle.sync = async () => {
      synced.push(String(args[0]));
      await sync();
    };
    return handle;
  };
  // Node's recursive mkdir on a read-only file system: ENOENT for the recursive call, EROFS for
  // the single directory (reproduced with a read-only tmpfs mount on Node 20).
  const mkdir = async (...args: Parameters<typeof actual.mkdir>) => {
    const [target, options] = args;
    if (String(target).includes('read-only-fs')) {
      const recursive = typeof options === 'object' && options !== null && options.recursive === true;
      const error = Object.assign(new Error(`${recursive ? 'ENOENT: no such file or directory' : 'EROFS: read-only file system'}, mkdir '${String(target)}'`), { code: recursive ? 'ENOENT' : 'EROFS' });
      throw error;
    }
    return actual.mkdir(...args);
  };
  return { ...actual, open, mkdir, default: { ...actual, open, mkdir } };
});

// The test setup may have loaded the module already, with the real fs: load it afresh under the mock.
vi.resetModules();
const { writeFileAtomic } = await import('./write-file-atomic.js');

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-atomic-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('fsyncs the data before the rename and the directory after it, and leaves no temporary file', async () => {
    synced.length = 0;
    const file = path.join(directory, 'nested', 'result.json');
    await writeFileAtomic(file, '{"a":1}\n');
    expect(await readFile(file, 'utf8')).toBe('{"a":1}\n');
    expect(synced).toHaveLength(2);
    expect(synced[0]).toMatch(/result\.json\.\d+\.\d+\.tmp$/);
    expect(synced[1]).toBe(path.join(directory, 'nested'));
    expect(await readdir(path.join(directory, 'nested'))).toEqual(['result.json']);
  });

  it('replaces an existing file with bytes', async () => {
    const file = path.join(directory, 'tensors.bin');
    await writeFileAtomic(file, new Uint8Array([1, 2, 3]));
    await writeFileAtomic(file, new Uint8Array([4, 5]));
    expect([...(await readFile(file))]).toEqual([4, 5]);
  });

  it('reports EROFS, not ENOENT, for a directory on a read-only file system (issue 13 item 10)', async () => {
    const file = path.join(directory, 'read-only-fs', 'run', 'result.json');
    await expect(writeFileAtomic(file, 'x')).rejects.toThrow(`EROFS: read-only file system, mkdir '${path.join(directory, 'read-only-fs')}'`);
  });

  it('reports the real error of an unwritable target and removes its temporary file', async () => {
    const file = path.join(directory, 'a-directory');
    await writeFileAtomic(path.join(file, 'x'), 'x');
    // Renaming a file over a non-empty directory fails (EISDIR or ENOTEMPTY, by platform), not ENOENT.
    await expect(writeFileAtomic(file, 'y')).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST|EPERM/);
    expect((await readdir(directory)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
