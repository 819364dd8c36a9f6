import { statSync } from 'node:fs';
import { join } from 'node:path';
import { cifar100DirectoryVariable, cifar10DirectoryVariable } from '../cifar/cifar-datasets.js';
import { cifar100FileNames, cifar10FileNames } from '../cifar/cifar-directories.js';
import { tinyImagenetDirectoryVariable } from '../tiny-imagenet/tiny-imagenet-dataset.js';

/** What `robustfair info` says about one dataset read from local files. */
export interface DataDirectoryStatus {
  /** The dataset plugin id. */
  readonly dataset: 'cifar10' | 'cifar100' | 'tiny-imagenet';
  /** Its display name, e.g. `CIFAR-10`. */
  readonly name: string;
  /** The environment variable the dataset reads when its `directory` option is omitted. */
  readonly variable: string;
  /** The variable's value, when set. */
  readonly directory?: string;
  /**
   * `found`: the directory holds every file the dataset reads; `incomplete`: it exists but some
   * are missing (listed in `missing`); `not-found`: the path is not a directory; `not-set`:
   * the variable is unset or empty.
   */
  readonly status: 'found' | 'incomplete' | 'not-found' | 'not-set';
  /** Expected entries missing from the directory (relative paths). */
  readonly missing?: readonly string[];
}

interface Layout {
  readonly dataset: DataDirectoryStatus['dataset'];
  readonly name: string;
  readonly variable: string;
  /** Files (or, ending in `/`, directories) the dataset needs, relative to its directory. */
  readonly entries: readonly string[];
}

const layouts: readonly Layout[] = [
  { dataset: 'cifar10', name: 'CIFAR-10', variable: cifar10DirectoryVariable, entries: [...cifar10FileNames.train, cifar10FileNames.test] },
  { dataset: 'cifar100', name: 'CIFAR-100', variable: cifar100DirectoryVariable, entries: [cifar100FileNames.train, cifar100FileNames.test] },
  { dataset: 'tiny-imagenet', name: 'Tiny-ImageNet', variable: tinyImagenetDirectoryVariable, entries: ['wnids.txt', 'train/', 'val/val_annotations.txt'] },
];

function kindOf(file: string): 'file' | 'directory' | 'none' {
  try {
    const stats = statSync(file);
    return stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : 'none';
  } catch {
    return 'none';
  }
}

/**
 * Looks at the data directories the file datasets read by default (CIFAR-10, CIFAR-100,
 * Tiny-ImageNet, from `ROBUSTFAIR_*_DIR`) without reading any data: is the variable set, is it a
 * directory, are the expected files there. A config's `directory` option overrides these.
 */
export function inspectDataDirectories(environment: Readonly<Record<string, string | undefined>> = process.env): DataDirectoryStatus[] {
  return layouts.map(({ dataset, name, variable, entries }) => {
    const directory = environment[variable];
    if (directory === undefined || directory === '') return { dataset, name, variable, status: 'not-set' };
    if (kindOf(directory) !== 'directory') return { dataset, name, variable, directory, status: 'not-found' };
    const missing = entries.filter((entry) => kindOf(join(directory, entry)) !== (entry.endsWith('/') ? 'directory' : 'file'));
    return missing.length === 0
      ? { dataset, name, variable, directory, status: 'found' }
      : { dataset, name, variable, directory, status: 'incomplete', missing };
  });
}
