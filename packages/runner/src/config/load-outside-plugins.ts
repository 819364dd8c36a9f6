import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidOptionsError, type AnyPluginDescriptor } from '@robustfair/spec';

function isDescriptor(value: unknown): value is AnyPluginDescriptor {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate['id'] === 'string' && typeof candidate['kind'] === 'string' && typeof candidate['create'] === 'function' && typeof candidate['optionsSchema'] === 'object';
}

/**
 * Loads a config's `plugins` (decision 9): modules resolved relative to the config file whose
 * default export is `readonly PluginDescriptor[]`. Plugin authors never touch inversify.
 */
export async function loadOutsidePlugins(configFile: string, specifiers: readonly string[]): Promise<AnyPluginDescriptor[]> {
  const descriptors: AnyPluginDescriptor[] = [];
  for (const [index, specifier] of specifiers.entries()) {
    const resolved = specifier.startsWith('.') ? pathToFileURL(path.resolve(path.dirname(configFile), specifier)).href : specifier;
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
