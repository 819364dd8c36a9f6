import { parseOptions, selectBackend } from '@robustfair/core';
import { ablate, type Arm } from '../config/ablate.js';
import type { LoadedConfig } from '../config/load-config.js';
import { loadOutsidePlugins } from '../config/load-outside-plugins.js';
import { createRootContainer } from '../di/root-container.js';
import { specRegistries, validateSpecPlugins } from '../di/validate-spec.js';
import { createLineReporter } from '../progress/progress-reporter.js';
import type { RunOptions } from './run-types.js';
import { builtinBackendProviders } from '../backend-providers.js';

/** The arms of a loaded config: the comparison's, or the single spec. */
export function armsOf(config: LoadedConfig): Arm[] {
  return config.compare ? ablate(config.raw, config.compare, config.overrides) : [{ label: config.spec.name, spec: config.spec }];
}

/** Loads outside plugins, validates every arm, prepares the datasets once and selects the backend. */
export async function prepare(config: LoadedConfig, arms: readonly Arm[], options: RunOptions) {
  const first = arms[0];
  if (!first) throw new Error('nothing to run: no arms');
  const backendChoice = options.backend ?? first.spec.backend;
  const plugins = await loadOutsidePlugins(config.file, first.spec.plugins);
  const reporter = options.reporter ?? createLineReporter();
  const root = createRootContainer({ plugins, reporter });
  const registries = specRegistries(root);
  // Every arm is checked before the first one trains: a typo in arm 3 costs nothing.
  for (const arm of arms) validateSpecPlugins(arm.spec, registries, `arm '${arm.label}' of ${config.file}`);
  // Datasets that fetch files (the CIFAR downloads) do it now, once per distinct choice.
  const prepared = new Set<string>();
  for (const arm of arms) {
    const key = JSON.stringify(arm.spec.dataset);
    if (prepared.has(key)) continue;
    prepared.add(key);
    const plugin = registries.datasets.get(arm.spec.dataset.id);
    await plugin.prepare?.(parseOptions(plugin.optionsSchema, arm.spec.dataset.options ?? {}, `dataset '${plugin.id}' options`, 'dataset.options'));
  }
  const backend = await selectBackend(backendChoice === 'auto' ? undefined : backendChoice, builtinBackendProviders);
  reporter.info(`backend: ${backend.active}`);
  return { root, reporter, backend };
}
