import { open } from 'node:fs/promises';
import { parseSafetensorsHeader, safetensorsHeaderLength } from '@robustfair/models';
import { RunFileError } from '@robustfair/spec';

/**
 * Reads a safetensors file header first: its size, the 8-byte header length (bounded), the
 * header, and every tensor's offsets checked against the file size (back to back, no overlap,
 * byte length = elements × dtype size) before the data is read. A hostile or damaged file is
 * refused after reading at most 8 + 100 MB, naming the file; a valid one is read once, as a
 * Buffer (no copy), for `importSafetensors`.
 */
export async function readSafetensorsFile(file: string): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RunFileError(file, code === 'ENOENT' ? 'is missing (teacher.import.file)' : `cannot be read (${code ?? (error as Error).message})`, { cause: error });
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new RunFileError(file, 'is not a regular file (teacher.import.file)');
    const first = new Uint8Array(8);
    const { bytesRead } = await handle.read(first, 0, 8, 0);
    const headerLength = safetensorsHeaderLength(first.subarray(0, bytesRead), stats.size, file);
    const header = new Uint8Array(headerLength);
    await readExactly(handle, header, 8, file);
    parseSafetensorsHeader(header, stats.size - 8 - headerLength, file);
    const bytes = Buffer.allocUnsafe(stats.size);
    await readExactly(handle, bytes, 0, file);
    return bytes;
  } finally {
    await handle.close();
  }
}

/** Fills `target` from `position`; a file that shrank meanwhile is an error naming it. */
async function readExactly(handle: import('node:fs/promises').FileHandle, target: Uint8Array, position: number, file: string): Promise<void> {
  let done = 0;
  while (done < target.byteLength) {
    const { bytesRead } = await handle.read(target, done, target.byteLength - done, position + done);
    if (bytesRead === 0) throw new RunFileError(file, `ended after ${position + done} bytes while reading it (changed while being read?)`);
    done += bytesRead;
  }
}
