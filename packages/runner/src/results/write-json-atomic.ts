import { writeFileAtomic } from '@robustfair/core/node';

/** Kept as an export of this package; the implementation lives in @robustfair/core. */
export { writeFileAtomic };

/**
 * Writes JSON so a crash never leaves a half-written file: a temporary file in the same
 * directory, then a rename (atomic on POSIX filesystems).
 */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}
