import { InvalidOptionsError, type AnyPluginDescriptor } from '@robustfair/spec';
import { pluginImportTarget, pluginSpecifierProblem } from './plugin-specifier.js';

function isDescriptor(value: unknown): value is AnyPluginDescriptor {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate['id'] === 'string' && typeof candidate['kind'] === 'string' && typeof candidate['create'] === 'function' && typeof candidate['optionsSchema'] === 'object';
}

/**
 * Loads a config's `plugins` (decision 9): modules resolved relative to the config file whose
 * default export is `readonly PluginDescriptor[]`. Plugin authors never touch inversify.
 * Importing a module runs it: callers decide whether these plugins may run (docs/security.md);
 * specifiers the config may not use (absolute paths, URLs) are refused here too, for specs
 * built in code that skipped the config schema.
 */
export async function loadOutsidePlugins(configFile: string, specifiers: readonly string[]): Promise<AnyPluginDescriptor[]> {
  const descriptors: AnyPluginDescriptor[] = [];
  for (const [index, specifier] of specifiers.entries()) {
    const problem = pluginSpecifierProblem(specifier);
    if (problem) throw new InvalidOptionsError('config', [{ path: `plugins.${index}`, message: `'${specifier}': ${problem}` }]);
    const resolved = pluginImportTarget(configFile, specifier);
    let module: { default?: unknown };
    try {
      module = (await import(resolved)) as { default?: unknown };
    } catch (error) {
      throw new InvalidOptionsError('config', [{ path: `plugins.${index}`, message: `cannot load '${specifier}': ${(error as Error).message}` }]);
    }
    const list = module.default;
    if (!Array.isArray(list) || !list.every(isDescriptor)) {
      throw new InvalidOptionsError('config', [
        { path: `plugins.${index}`, message: `'${specifier}' must default-export an array of plugin descriptors` },
      ]);
    }
    descriptors.push(...list);
  }
  return descriptors;
}
