import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What a dataset read from files needs, for the messages of {@link checkDatasetFiles}. */
export interface DatasetFilesRequirement {
  readonly datasetId: string;
  /** The `directory` option, if given. */
  readonly directory: string | undefined;
  /** The environment variable read when `directory` is omitted. */
  readonly environmentVariable: string;
  /** Paths relative to the directory that must exist. */
  readonly files: readonly string[];
  /** Where the files come from, e.g. "the files are the cifar-10-batches-bin/ folder of https://…". */
  readonly howToGet: string;
  /** True when `prepare` would fetch missing files (`download: true`). */
  readonly fetchedByPrepare?: boolean;
}

const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/**
 * The problems `create` would hit for want of files, found with `existsSync` only (nothing is
 * read): no directory chosen, the directory missing, files missing. Each says how to get them.
 */
export function checkDatasetFiles(requirement: DatasetFilesRequirement): readonly string[] {
  const { datasetId, environmentVariable, files, howToGet } = requirement;
  const directory = requirement.directory ?? process.env[environmentVariable];
  if (directory === undefined || directory === '') {
    return [`dataset '${datasetId}': no data directory: set the option 'directory' or the environment variable ${environmentVariable}; ${howToGet}`];
  }
  if (requirement.fetchedByPrepare) return [];
  if (!isDirectory(directory)) return [`dataset '${datasetId}': directory '${directory}' not found; ${howToGet}`];
  const missing = files.filter((file) => !existsSync(join(directory, file)));
  if (missing.length === 0) return [];
  return [`dataset '${datasetId}': '${directory}' has no ${missing.join(', ')}; ${howToGet}`];
}
