import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { importSafetensors, type TeacherArchitectureId } from '@robustfair/models';
import type { Model } from '@robustfair/spec';
import type { ExperimentSpec } from '../config/experiment-spec.js';
import { loadModelWeights } from './model-weights.js';

/**
 * Loads an arm's `initialWeights` into its student before training (FRL's hot start): a
 * directory saved by `saveModelWeights`, or a safetensors file through `importSafetensors`
 * (`architecture` defaults to the model id). Paths are relative to the config file. Returns
 * what was loaded, for the log and the result record.
 */
export async function loadInitialWeights(
  model: Model,
  source: NonNullable<ExperimentSpec['initialWeights']>,
  spec: ExperimentSpec,
  configFile: string,
): Promise<string> {
  const directory = path.dirname(configFile);
  if ('weights' in source) {
    const weights = path.resolve(directory, source.weights);
    await loadModelWeights(model, weights);
    return weights;
  }
  const file = path.resolve(directory, source.import.file);
  const architecture = (source.import.architecture ?? spec.model.id) as TeacherArchitectureId;
  importSafetensors(model, new Uint8Array(await readFile(file)), { architecture });
  return file;
}
