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
  return { ...actual, open, default: { ...actual, open } };
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

  it('reports the real error of an unwritable target and removes its temporary file', async () => {
    const file = path.join(directory, 'a-directory');
    await writeFileAtomic(path.join(file, 'x'), 'x');
    // Renaming a file over a non-empty directory fails (EISDIR or ENOTEMPTY, by platform), not ENOENT.
    await expect(writeFileAtomic(file, 'y')).rejects.toThrow(/EISDIR|ENOTEMPTY|EEXIST|EPERM/);
    expect((await readdir(directory)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
