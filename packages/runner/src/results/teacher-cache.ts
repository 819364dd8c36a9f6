import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readArmResult } from './arm-files.js';
import { specHash } from './checkpoint-store.js';
import { collectVersions } from './versions.js';

/** The files a cache entry must have to be a teacher. */
const requiredFiles = ['result.json', 'weights.json', 'weights.bin'] as const;

/**
 * The files of a finished teacher arm the cache keeps and copies back: every file directly in it
 * (result, weights, evaluation, epoch log, spec.json as a record of where it was first trained),
 * except its lock; not its checkpoint folders.
 */
async function teacherFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && entry.name !== 'arm.lock' && !entry.name.startsWith('.')).map((entry) => entry.name);
}

/** The environment variable that moves the shared teacher cache (`off` turns it off). */
export const teacherCacheVariable = 'ROBUSTFAIR_TEACHER_CACHE';

/**
 * Where trained teachers are shared across runs and results directories:
 * `$ROBUSTFAIR_TEACHER_CACHE`, else `$XDG_CACHE_HOME/robustfair/teachers`, else
 * `~/.cache/robustfair/teachers`. Undefined when `ROBUSTFAIR_TEACHER_CACHE=off`.
 */
export function defaultTeacherCacheDirectory(environment: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = environment[teacherCacheVariable];
  if (chosen === 'off') return undefined;
  if (chosen) return path.resolve(chosen);
  const cacheHome = environment['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
  return path.join(cacheHome, 'robustfair', 'teachers');
}

/** The versions a cached teacher must have been trained with to be reused (all but Node's). */
function trainedBy(versions: Readonly<Record<string, string>>): string {
  const { node: _node, ...rest } = versions;
  return JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Copies a cached teacher (`<cache>/<spec hash>/`) into `teacherDirectory` when that directory
 * has no result yet and the cache holds a complete teacher of the same spec, trained by the same
 * code (robustfair and TF.js versions, the commit when run from a checkout) on the same backend.
 * Returns the cache directory it came from, or undefined (anything unreadable is a miss: the
 * cache is ours, and a miss only costs training).
 */
export async function restoreCachedTeacher(cache: string, key: string, teacherDirectory: string): Promise<string | undefined> {
  const source = path.join(cache, key);
  if (existsSync(path.join(teacherDirectory, 'result.json'))) return undefined;
  if (!requiredFiles.every((file) => existsSync(path.join(source, file)))) return undefined;
  try {
    const cached = await readArmResult(source);
    if (specHash(cached.spec) !== key || trainedBy(cached.versions) !== trainedBy(collectVersions())) return undefined;
  } catch {
    return undefined;
  }
  await mkdir(teacherDirectory, { recursive: true });
  // result.json last: a copy interrupted before it is not a finished teacher.
  const files = (await teacherFiles(source)).sort((a, b) => Number(a === 'result.json') - Number(b === 'result.json'));
  for (const file of files) await copyFile(path.join(source, file), path.join(teacherDirectory, file));
  return source;
}

/**
 * Stores a finished teacher's weights and results under `<cache>/<spec hash>/` (written to a
 * temporary folder, then renamed into place, so a reader never sees half a teacher). An existing
 * entry is replaced. Returns the entry's directory.
 */
export async function storeCachedTeacher(cache: string, key: string, teacherDirectory: string): Promise<string> {
  const target = path.join(cache, key);
  const staging = path.join(cache, `.${key}.${process.pid}.${Date.now()}`);
  await mkdir(staging, { recursive: true });
  try {
    for (const file of await teacherFiles(teacherDirectory)) await copyFile(path.join(teacherDirectory, file), path.join(staging, file));
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return target;
}
