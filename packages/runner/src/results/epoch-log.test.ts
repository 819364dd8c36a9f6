import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { trimEpochLog } from './epoch-log.js';

let directory: string | undefined;
afterEach(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
  directory = undefined;
});

describe('trimEpochLog', () => {
  it('keeps one complete line per epoch before the checkpoint, drops later epochs and a cut-off line', async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-epoch-log-'));
    const file = path.join(directory, 'epochs.jsonl');
    // epochs 0 and 1 done, epoch 1 logged twice (a previous resume), epoch 2 logged after the
    // last checkpoint, then a line the kill cut in half
    await writeFile(file, ['{"epoch":0,"v":"a"}', '{"epoch":1,"v":"old"}', '{"epoch":1,"v":"b"}', '{"epoch":2,"v":"c"}', '{"epoch":3,"v'].join('\n'));
    await trimEpochLog(file, 2);
    expect(await readFile(file, 'utf8')).toBe('{"epoch":0,"v":"a"}\n{"epoch":1,"v":"b"}\n');
  });

  it('leaves a missing file missing', async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-epoch-log-'));
    const file = path.join(directory, 'epochs.jsonl');
    await trimEpochLog(file, 3);
    await expect(readFile(file, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
