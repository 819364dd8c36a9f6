import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { makeDirectory } from './make-directory.js';

let temporaryCounter = 0;

/**
 * Writes `data` to `path` atomically and durably: into a temporary file next to it, flushed to
 * the disk (fsync), then `rename`, which replaces the target in one step on POSIX file systems,
 * then the directory flushed so the rename itself survives a power loss. A reader never sees
 * half a file, and an interrupted run (kill -9 or power loss) leaves the previous file or the
 * new one, never an empty one. Creates missing directories. The one implementation every
 * package uses (results, reports, checkpoints, the wasm worker script).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const directory = dirname(path);
  await makeDirectory(directory);
  temporaryCounter += 1;
  const temporary = `${path}.${process.pid}.${temporaryCounter}.tmp`;
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(data);
      // Without this, a power loss after the rename can leave the new name pointing at no data.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(directory);
}

/** Flushes a directory's entries (the rename). Some platforms cannot open a directory (Windows): skipped there. */
async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync();
  } catch (error) {
    // EINVAL/EISDIR/EPERM: the file system does not support syncing a directory; the data itself was synced.
    if (!['EINVAL', 'EISDIR', 'EPERM', 'EBADF'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle.close();
  }
}
