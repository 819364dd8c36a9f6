import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';

// What a config's `plugins` may name (docs/security.md): a module file relative to the config
// (the feature: a config and its plugin files travel together), or an installed package by name.
// Anything that would run code the config's reader cannot see on disk next to it is refused:
// `data:` URLs (code inside the config itself), remote and `file:` URLs, `node:` builtins and
// absolute paths.

const packageName = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/[\w.-]+)*$/i;

/** Why `specifier` may not be a plugin module, or undefined when it may. */
export function pluginSpecifierProblem(specifier: string): string | undefined {
  if (specifier.startsWith('./') || specifier.startsWith('../')) return undefined;
  if (path.isAbsolute(specifier) || /^[A-Za-z]:[\\/]/.test(specifier)) {
    return 'absolute paths are refused: name the plugin file relative to the config file ("./my-plugin.js")';
  }
  if (/^[A-Za-z][\w+.-]*:/.test(specifier)) {
    return 'URLs (data:, http:, https:, file:, node:) are refused: name a plugin file relative to the config file ("./my-plugin.js") or an installed package';
  }
  if (!packageName.test(specifier) || specifier.split('/').some((segment) => segment === '.' || segment === '..')) {
    return 'expected a file relative to the config file ("./my-plugin.js", "../plugins/x.js") or an installed package name';
  }
  return undefined;
}

/** A config's `plugins` entry, checked by {@link pluginSpecifierProblem}. */
export function pluginSpecifierSchema() {
  return z.string().superRefine((specifier, context) => {
    const problem = pluginSpecifierProblem(specifier);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });
}

/** Whether the specifier names a file (relative to the config) rather than a package. */
export const isPluginFile = (specifier: string): boolean => specifier.startsWith('./') || specifier.startsWith('../');

/** What `import()` is given for a specifier: a file URL for a plugin file, the name for a package. */
export function pluginImportTarget(configFile: string, specifier: string): string {
  return isPluginFile(specifier) ? pathToFileURL(path.resolve(path.dirname(configFile), specifier)).href : specifier;
}

/** How a plugin is shown to a person deciding whether to run it: the absolute file, or `package <name>`. */
export function describePlugin(configFile: string, specifier: string): string {
  return isPluginFile(specifier) ? path.resolve(path.dirname(configFile), specifier) : `package '${specifier}'`;
}
