import path from 'node:path';
import { describePlugin, type ArmManifest } from '@robustfair/runner';

/**
 * A run directory's spec.json may name outside plugins, and loading a plugin runs its code. A
 * run directory can come from anyone (a colleague, an archive), so its recorded plugins run only
 * when the user confirms with `--allow-plugins` or passes the config file again, which names
 * them itself (docs/security.md). The refusal names every module that would run.
 */
export function requirePluginConsent(manifest: ArmManifest, directory: string, allowPlugins: boolean | undefined, again: string): void {
  const { plugins } = manifest.spec;
  if (plugins.length === 0 || allowPlugins === true) return;
  const listed = plugins.map((specifier) => `  - ${specifier} (${describePlugin(manifest.configFile, specifier)})`).join('\n');
  throw new Error(
    `${path.join(directory, 'spec.json')} names outside plugins, which run as code when loaded:\n${listed}\n` +
      `They are not loaded from a run directory on its word: pass --allow-plugins to run them, or give the config file again (${again}).`,
  );
}
