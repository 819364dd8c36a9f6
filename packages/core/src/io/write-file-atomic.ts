import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

let temporaryCounter = 0;

/**
 * Writes `data` to `path` atomically: into a temporary file next to it, then `rename`, which
 * replaces the target in one step on POSIX file systems, so a reader never sees half a file and
 * an interrupted run leaves the previous file intact. Creates missing directories. The one
 * implementation every package uses (results, reports, checkpoints, the wasm worker script).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  temporaryCounter += 1;
  const temporary = `${path}.${process.pid}.${temporaryCounter}.tmp`;
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
