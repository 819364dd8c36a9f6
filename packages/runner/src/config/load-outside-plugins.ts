import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { InvalidOptionsError, type AnyPluginDescriptor } from '@robustfair/spec';
import { pluginImportTarget, pluginSpecifierProblem } from './plugin-specifier.js';

function isDescriptor(value: unknown): value is AnyPluginDescriptor {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate['id'] === 'string' && typeof candidate['kind'] === 'string' && typeof candidate['create'] === 'function' && typeof candidate['optionsSchema'] === 'object';
}

let hooksRegistered = false;

/**
 * Registers the plugin module hooks (`dist/plugin-hooks.js`, src/config/plugin-hooks.ts) once
 * per process: a plugin's `@robustfair/*` and `zod` imports fall back to this installation's
 * packages, and `.ts` plugin files load. Called by {@link loadOutsidePlugins} (never on import);
 * `extraBases` are more files whose resolution plugins may borrow (the CLI passes its own).
 * Run from sources (the tests), the hooks are the built runner's, when it is built.
 */
export function registerPluginHooks(extraBases: readonly string[] = []): void {
  if (hooksRegistered) return;
  const candidates = ['./plugin-hooks.js', '../../dist/plugin-hooks.js'].map((relative) => new URL(relative, import.meta.url));
  const hooks = candidates.find((url) => existsSync(fileURLToPath(url)));
  if (!hooks) return;
  hooksRegistered = true;
  const bases = [import.meta.url, ...extraBases.map((file) => (file.startsWith('file:') ? file : pathToFileURL(file).href))];
  register(hooks.href, { data: { bases } });
}

/**
 * Loads a config's `plugins` (decision 9): modules resolved relative to the config file whose
 * default export is `readonly PluginDescriptor[]`. Plugin authors never touch inversify. Plugin
 * files may be JavaScript or TypeScript and may import `@robustfair/*` and `zod` without
 * installing them ({@link registerPluginHooks}).
 * Importing a module runs it: callers decide whether these plugins may run (docs/security.md);
 * specifiers the config may not use (absolute paths, URLs) are refused here too, for specs
 * built in code that skipped the config schema.
 */
export async function loadOutsidePlugins(configFile: string, specifiers: readonly string[]): Promise<AnyPluginDescriptor[]> {
  const descriptors: AnyPluginDescriptor[] = [];
  if (specifiers.length > 0) registerPluginHooks();
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
