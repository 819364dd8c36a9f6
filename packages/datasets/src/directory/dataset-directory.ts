import { statSync } from 'node:fs';
import { DatasetError } from '@robustfair/spec';

/**
 * The directory a dataset reads: the `directory` option, else the environment variable
 * `environmentVariable` (read when the dataset is created, never at import). Neither set is an
 * error naming both.
 */
export function resolveDatasetDirectory(datasetId: string, directory: string | undefined, environmentVariable: string): string {
  const chosen = directory ?? process.env[environmentVariable];
  if (chosen === undefined || chosen === '') {
    throw new DatasetError(
      `dataset '${datasetId}': no data directory: set the option 'directory' or the environment variable ${environmentVariable}`,
    );
  }
  return chosen;
}

/** Throws a DatasetError naming `directory` and what it should hold when it is not a directory. */
export function requireDirectory(directory: string, name: string, expected: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch {
    throw new DatasetError(`${name}: directory '${directory}' not found (expected it to hold ${expected})`);
  }
  if (!isDirectory) throw new DatasetError(`${name}: '${directory}' is not a directory (expected it to hold ${expected})`);
}
