import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { RobustfairError, RunFileError } from '@robustfair/spec';
import { z } from 'zod';
import { redactUrlPasswords } from './redact-url-passwords.js';

/** The lock file inside an arm directory, while a run trains or evaluates that arm. */
export const armLockFileName = 'arm.lock';

const ownerSchema = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  startedAt: z.string(),
  command: z.string().optional(),
  /** The queue job (BullMQ job id) the holder runs this arm as, when it is a queue worker. */
  queueJob: z.string().optional(),
});

/** Who holds an arm's lock. */
export type ArmLockOwner = z.infer<typeof ownerSchema>;

/** Another run (alive, or on another host where that cannot be checked) holds the arm's lock. */
export class ArmInUseError extends RobustfairError {
  constructor(
    readonly directory: string,
    readonly owner: ArmLockOwner,
  ) {
    const here = owner.hostname === hostname();
    const who = `pid ${owner.pid} ${here ? 'on this host' : `on host '${owner.hostname}'`}, started ${owner.startedAt}${owner.command ? ` (${owner.command})` : ''}`;
    const remedy = here
      ? `wait for it to finish or stop it, or use another --out; if pid ${owner.pid} is not a robustfair run, delete ${path.join(directory, armLockFileName)}`
      : `wait for it to finish, or use another --out; if it no longer runs, delete ${path.join(directory, armLockFileName)}`;
    super(`${directory} is in use by another run: ${who}; ${remedy}`);
    this.name = 'ArmInUseError';
  }
}

/** A held lock: release it when the arm is done (also after a failure). */
export interface ArmLock {
  readonly file: string;
  release(): Promise<void>;
}

/**
 * Whether a process with this pid runs on this host (EPERM: it exists, owned by someone else). A
 * zombie does not run: a killed worker whose parent died too stays a zombie for as long as nobody
 * reaps it (a container whose pid 1 is not an init), and its lock is stale all the same. Linux
 * tells a zombie by the state field of /proc/<pid>/stat; elsewhere, existing counts as running.
 */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false; // no procfs (macOS, Windows), or it exited just now: the signal check stands
  }
  // "pid (command) state ...": the command may hold spaces and parentheses, so read after the last ')'.
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}

async function readOwner(file: string): Promise<ArmLockOwner | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // released meanwhile
    throw new RunFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = ownerSchema.safeParse(json);
  if (!parsed.success) {
    // Never written by us half-way (the lock appears complete, by link), so someone edited it.
    throw new RunFileError(file, `is not a lock this runner wrote (expected JSON with pid, hostname and startedAt); if no run uses ${path.dirname(file)}, delete it`);
  }
  return parsed.data;
}

const sameOwner = (a: ArmLockOwner, b: ArmLockOwner) => a.pid === b.pid && a.hostname === b.hostname && a.startedAt === b.startedAt;

/**
 * Takes the lock of an arm directory for this process, so two runs on the same `--out` cannot
 * interleave one arm's checkpoints, epoch log and results. The lock file records pid, host and
 * start time and appears complete or not at all (written aside, then hard-linked into place, which
 * fails if it exists: O_EXCL semantics without a half-written file). A lock whose pid is dead on
 * this host is stale (a killed run) and is taken over, so `--resume` after a kill just works; a
 * live one, or one from another host, is an {@link ArmInUseError} naming its owner; except that a
 * queue worker (`queueJob`) takes over a lock left on another host by the same job: the queue
 * handed the job on because that worker lost it (killed, cut off), which this host cannot see.
 */
export async function acquireArmLock(armDirectory: string, options: { readonly queueJob?: string } = {}): Promise<ArmLock> {
  await mkdir(armDirectory, { recursive: true });
  const file = path.join(armDirectory, armLockFileName);
  const owner: ArmLockOwner = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: new Date().toISOString(),
    // The command line may name a queue URL with its password (`worker --queue redis://…`).
    command: redactUrlPasswords(process.argv.slice(1).join(' ')),
    ...(options.queueJob === undefined ? {} : { queueJob: options.queueJob }),
  };
  const aside = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(aside, `${JSON.stringify(owner)}\n`);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await placeLock(aside, file, owner);
        return { file, release: () => releaseArmLock(file, owner) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new RobustfairError(`${file}: cannot create the arm's lock (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, { cause: error });
        }
      }
      const holder = await readOwner(file);
      if (!holder) continue; // released between our link and our read: try again
      const handedOver = owner.queueJob !== undefined && holder.queueJob === owner.queueJob && holder.hostname !== owner.hostname;
      if (!handedOver && (holder.hostname !== owner.hostname || isProcessRunning(holder.pid))) throw new ArmInUseError(armDirectory, holder);
      await removeStaleLock(file, holder);
    }
    throw new RobustfairError(`${file}: could not take the lock (other runs keep taking it); try again`);
  } finally {
    await rm(aside, { force: true });
  }
}

/**
 * Puts the lock in place, failing with EEXIST when one is there: a hard link of the complete
 * file; where the file system has no hard links, an exclusive create (O_EXCL) and a write.
 */
async function placeLock(aside: string, file: string, owner: ArmLockOwner): Promise<void> {
  try {
    await link(aside, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    await writeFile(file, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
  }
}

/**
 * Removes a lock judged stale. It is first renamed aside, so that when another process took over
 * the same stale lock a moment earlier and already holds a fresh one, the fresh one is put back
 * instead of being deleted.
 */
async function removeStaleLock(file: string, stale: ArmLockOwner): Promise<void> {
  const aside = `${file}.stale.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await rename(file, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  let moved: ArmLockOwner | undefined;
  try {
    moved = await readOwner(aside);
  } catch {
    moved = undefined;
  }
  if (moved && !sameOwner(moved, stale)) {
    await link(aside, file).catch(() => undefined); // not ours to remove: put it back
  }
  await rm(aside, { force: true });
}

/** Deletes the lock file if it is still this owner's (never another run's). */
async function releaseArmLock(file: string, owner: ArmLockOwner): Promise<void> {
  let holder: ArmLockOwner | undefined;
  try {
    holder = await readOwner(file);
  } catch {
    return; // edited meanwhile: leave it for a person to look at
  }
  if (holder && sameOwner(holder, owner)) await rm(file, { force: true });
}
