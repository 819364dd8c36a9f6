import { parseOptions } from '@robustfair/core';
import { builtinModels } from '@robustfair/models';
import type { Model } from '@robustfair/spec';

/** The benchmark's models: ids as printed in RATIO lines, mapped to a model plugin and its options. */
export const benchModels: Readonly<Record<string, { readonly plugin: string; readonly options: Record<string, unknown> }>> = {
  'small-cnn': { plugin: 'small-cnn', options: { width: 32 } },
  'preact-resnet18-w16': { plugin: 'preact-resnet18', options: { width: 16 } },
  'preact-resnet18': { plugin: 'preact-resnet18', options: { width: 64 } },
};

export function createBenchModel(name: string, seed = 0): Model {
  const entry = benchModels[name];
  if (!entry) throw new Error(`unknown bench model '${name}'; known: ${Object.keys(benchModels).join(', ')}`);
  const plugin = builtinModels.find((candidate) => candidate.id === entry.plugin);
  if (!plugin) throw new Error(`model plugin '${entry.plugin}' is not registered`);
  const options = parseOptions(plugin.optionsSchema, entry.options, `bench model ${name}`);
  return plugin.create(options, { seed, numClasses: 10, inputShape: [32, 32, 3] });
}
