import { readFile } from 'node:fs/promises';
import { parseRunFile, validateRunFile } from '@robustfair/core';
import { RunFileError } from '@robustfair/spec';

// The parsers work on text and live in core, so the browser playground parses picked files alike.
export { parseRunFile, validateRunFile };

/**
 * Reads a text file of a run directory. A missing file is `undefined` when `optional`, else an
 * error; any other failure (a directory, no permission) is a RunFileError naming the file.
 */
export async function readRunFile(file: string, options: { optional: true }): Promise<string | undefined>;
export async function readRunFile(file: string, options?: { optional?: false }): Promise<string>;
export async function readRunFile(file: string, options: { optional?: boolean } = {}): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && options.optional) return undefined;
    const reason = code === 'ENOENT' ? 'is missing' : code === 'EISDIR' ? 'is a directory, expected a file' : `cannot be read (${code ?? (error as Error).message})`;
    throw new RunFileError(file, reason, { cause: error });
  }
}
