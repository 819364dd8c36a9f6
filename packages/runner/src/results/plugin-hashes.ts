import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isPluginFile, pluginImportTarget } from '../config/plugin-specifier.js';

/** What result.json records of one of the config's `plugins`: the module file and its SHA-256. */
export interface PluginRecord {
  /** The `plugins` entry as the config wrote it. */
  readonly plugin: string;
  /** The module file it resolved to (absent when a package could not be resolved). */
  readonly file?: string;
  /** SHA-256 of that file's bytes, hex. */
  readonly sha256?: string;
}

/**
 * The file and SHA-256 of each outside plugin module, so results show which version of a plugin
 * made them: an edited plugin file gives another hash. For a package, the file is its entry
 * module (its other files are not hashed; its version is in the package's own package.json).
 */
export function pluginRecords(configFile: string, specifiers: readonly string[]): PluginRecord[] {
  return specifiers.map((plugin) => {
    let file: string;
    try {
      const target = pluginImportTarget(configFile, plugin);
      file = fileURLToPath(isPluginFile(plugin) ? target : import.meta.resolve(target));
    } catch {
      return { plugin };
    }
    try {
      return { plugin, file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
    } catch {
      return { plugin, file };
    }
  });
}
