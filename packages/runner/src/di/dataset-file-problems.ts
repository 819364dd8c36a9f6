import { parseOptions } from '@robustfair/core';
import type { ExperimentSpec } from '../config/experiment-spec.js';
import type { SpecRegistries } from './validate-spec.js';

/**
 * What would stop the specs' datasets for want of files (the plugins' `checkFiles`: no data
 * directory, missing files, each with how to get them), without reading any data. Each
 * distinct dataset choice is checked once; unknown ids are left to `validateSpecPlugins`.
 */
export function datasetFileProblems(specs: readonly ExperimentSpec[], registries: Pick<SpecRegistries, 'datasets'>): readonly string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const { dataset } of specs) {
    const key = JSON.stringify(dataset);
    if (seen.has(key) || !registries.datasets.ids().includes(dataset.id)) continue;
    seen.add(key);
    const plugin = registries.datasets.get(dataset.id);
    if (!plugin.checkFiles) continue;
    const options = parseOptions(plugin.optionsSchema, dataset.options ?? {}, `dataset '${dataset.id}' options`, 'dataset.options');
    for (const problem of plugin.checkFiles(options)) if (!problems.includes(problem)) problems.push(problem);
  }
  return problems;
}
