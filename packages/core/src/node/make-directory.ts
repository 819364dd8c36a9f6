import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * `mkdir -p` that reports the real reason it failed. Node's recursive mkdir answers ENOENT on a
 * read-only file system (it retries the parent, then reports the child's ENOENT), so a
 * read-only `--out` read as "no such file or directory". On ENOENT this creates the first
 * missing ancestor on its own, whose error is the true one (EROFS, EACCES, ENOTDIR).
 */
export async function makeDirectory(directory: string): Promise<void> {
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    let missing = directory;
    for (let parent = dirname(missing); parent !== missing && !(await exists(parent)); parent = dirname(missing)) missing = parent;
    await mkdir(missing); // throws the real error
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
