import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RunFileError } from '@robustfair/spec';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { acquireArmLock, ArmInUseError, armLockFileName, isProcessRunning } from './arm-lock.js';

let root: string;
let count = 0;
/** A fresh arm directory per test. */
const armDirectory = async () => {
  const directory = path.join(root, `arm-${count++}`);
  await mkdir(directory, { recursive: true });
  return directory;
};
const lockOwner = async (directory: string) => JSON.parse(await readFile(path.join(directory, armLockFileName), 'utf8')) as { pid: number; hostname: string };
/** The pid of a process that has exited (a run killed with -9 leaves exactly this behind). */
const deadPid = () => {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid;
};

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'robustfair-arm-lock-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe(acquireArmLock, () => {
  it('is held until released: a second taker fails naming the holder; after release it can be taken again', async () => {
    const directory = await armDirectory();
    const lock = await acquireArmLock(directory);
    expect(await lockOwner(directory)).toMatchObject({ pid: process.pid, hostname: os.hostname() });
    const second = acquireArmLock(directory);
    await expect(second).rejects.toBeInstanceOf(ArmInUseError);
    await expect(second).rejects.toThrow(`${directory} is in use by another run: pid ${process.pid} on this host`);
    await lock.release();
    expect(existsSync(path.join(directory, armLockFileName))).toBe(false);
    const again = await acquireArmLock(directory);
    await again.release();
  });

  it('lets exactly one of two simultaneous takers have it', async () => {
    const directory = await armDirectory();
    const outcomes = await Promise.allSettled([acquireArmLock(directory), acquireArmLock(directory)]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
    expect(rejected?.reason).toBeInstanceOf(ArmInUseError);
    for (const outcome of outcomes) if (outcome.status === 'fulfilled') await outcome.value.release();
  });

  it('takes over a stale lock: its pid is dead on this host (a killed run)', async () => {
    const directory = await armDirectory();
    const pid = deadPid();
    await writeFile(path.join(directory, armLockFileName), JSON.stringify({ pid, hostname: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
    const lock = await acquireArmLock(directory);
    expect((await lockOwner(directory)).pid).toBe(process.pid);
    await lock.release();
  });

  it.skipIf(process.platform !== 'linux')('takes over the lock of a zombie: a killed worker nobody reaped (a container without an init)', async () => {
    // `sh` starts a short child and then becomes `sleep`, which never reaps it: a zombie until the sleep ends.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 20'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const zombie = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (data: Buffer) => resolve(data.toString()))));
      await vi.waitFor(() => expect(readFileSync(`/proc/${zombie}/stat`, 'utf8')).toMatch(/\) Z /), { timeout: 5000 });
      expect(isProcessRunning(zombie)).toBe(false);
      expect(isProcessRunning(parent.pid as number)).toBe(true);
      const directory = await armDirectory();
      await writeFile(path.join(directory, armLockFileName), JSON.stringify({ pid: zombie, hostname: os.hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
      const lock = await acquireArmLock(directory);
      expect((await lockOwner(directory)).pid).toBe(process.pid);
      await lock.release();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it("refuses another host's lock (its pid cannot be checked from here), naming the host and the file to delete", async () => {
    const directory = await armDirectory();
    await writeFile(path.join(directory, armLockFileName), JSON.stringify({ pid: deadPid(), hostname: 'elsewhere.example', startedAt: '2026-01-01T00:00:00.000Z' }));
    await expect(acquireArmLock(directory)).rejects.toThrow(/on host 'elsewhere\.example'.*delete .*arm\.lock/);
  });

  it("as a queue worker, takes over the same job's lock from another host (the queue handed the job on), and only that", async () => {
    const directory = await armDirectory();
    const elsewhere = (queueJob: string) => JSON.stringify({ pid: process.pid, hostname: 'elsewhere.example', startedAt: '2026-01-01T00:00:00.000Z', queueJob });
    await writeFile(path.join(directory, armLockFileName), elsewhere('arm-other'));
    await expect(acquireArmLock(directory, { queueJob: 'arm-1' })).rejects.toThrow(ArmInUseError);
    await writeFile(path.join(directory, armLockFileName), elsewhere('arm-1'));
    await expect(acquireArmLock(directory)).rejects.toThrow(ArmInUseError); // not a queue worker
    const lock = await acquireArmLock(directory, { queueJob: 'arm-1' });
    expect(await lockOwner(directory)).toMatchObject({ pid: process.pid, hostname: os.hostname(), queueJob: 'arm-1' });
    // on this host, a live holder of the same job still keeps it
    await expect(acquireArmLock(directory, { queueJob: 'arm-1' })).rejects.toThrow(ArmInUseError);
    await lock.release();
  });

  it("records the command line without the password of a queue URL on it", async () => {
    const directory = await armDirectory();
    const argv = process.argv;
    process.argv = [argv[0] as string, 'bin.js', 'worker', '--queue', 'redis://alice:pa@ss:word@redis.example:6379/1'];
    try {
      const lock = await acquireArmLock(directory, { queueJob: 'arm-2' });
      const text = await readFile(path.join(directory, armLockFileName), 'utf8');
      expect(JSON.parse(text)).toMatchObject({ command: 'bin.js worker --queue redis://alice:***@redis.example:6379/1' });
      await lock.release();
    } finally {
      process.argv = argv;
    }
  });

  it('refuses a lock file it did not write, naming it', async () => {
    const directory = await armDirectory();
    await writeFile(path.join(directory, armLockFileName), 'not json');
    const attempt = acquireArmLock(directory);
    await expect(attempt).rejects.toBeInstanceOf(RunFileError);
    await expect(attempt).rejects.toThrow(`${path.join(directory, armLockFileName)}: is not a lock this runner wrote`);
  });

  it("release leaves a lock that is no longer this owner's", async () => {
    const directory = await armDirectory();
    const lock = await acquireArmLock(directory);
    const other = JSON.stringify({ pid: process.pid, hostname: os.hostname(), startedAt: '2000-01-01T00:00:00.000Z' });
    await writeFile(path.join(directory, armLockFileName), other);
    await lock.release();
    expect(await readFile(path.join(directory, armLockFileName), 'utf8')).toBe(other);
  });
});
