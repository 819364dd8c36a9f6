import { stat } from 'node:fs/promises';
import { describePlugin, isPluginFile } from '@robustfair/runner';
import { InvalidOptionsError } from '@robustfair/spec';

/**
 * `robustfair validate` without `--allow-plugins`: each plugin file the config names must exist
 * as a file, checked on disk without importing it (importing runs it). Packages are not looked up.
 */
export async function checkPluginFiles(configFile: string, specifiers: readonly string[]): Promise<void> {
  const issues: { path: string; message: string }[] = [];
  for (const [index, specifier] of specifiers.entries()) {
    if (!isPluginFile(specifier)) continue;
    const file = describePlugin(configFile, specifier);
    const isFile = await stat(file).then(
      (entry) => entry.isFile(),
      () => false,
    );
    if (!isFile) issues.push({ path: `plugins.${index}`, message: `'${specifier}': ${file} is not a file` });
  }
  if (issues.length > 0) throw new InvalidOptionsError(`config ${configFile}`, issues);
}
