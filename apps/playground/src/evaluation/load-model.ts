import { assignWeightsFiles, createPluginRegistry, deriveSeed, instantiatePlugin } from '@robustfair/core';
import { builtinModels, importSafetensors, teacherArchitectures, type TeacherArchitectureId } from '@robustfair/models';
import { RobustfairError, type Dataset, type Model } from '@robustfair/spec';
import type { ModelFiles } from './protocol.js';
import type { EvaluatedSpec } from './spec-file.js';

/**
 * Builds the spec's model for the dataset's classes and input shape (as the runner does: the
 * model plugin with seed `deriveSeed(seed, 'model')`) and loads the picked weights into it:
 * weights.json + weights.bin checked by core's `assignWeightsFiles`, or a safetensors
 * checkpoint through `importSafetensors` with its architecture. The caller disposes the model.
 */
export function loadModel(spec: EvaluatedSpec, files: ModelFiles, dataset: Dataset): Model {
  const registry = createPluginRegistry('model', builtinModels);
  const context = { seed: deriveSeed(spec.spec.seed, 'model'), numClasses: dataset.numClasses, inputShape: dataset.inputShape };
  const model = instantiatePlugin(registry, spec.spec.model, context, 'model').instance;
  try {
    if (files.weights) {
      const { manifest, binary } = files.weights;
      assignWeightsFiles(model, {
        manifestFile: manifest.name,
        manifestText: new TextDecoder().decode(manifest.bytes),
        binaryFile: binary.name,
        binary: new Uint8Array(binary.bytes),
      });
    } else if (files.safetensors) {
      const architecture = files.safetensors.architecture ?? spec.spec.model.id;
      if (!(architecture in teacherArchitectures)) {
        throw new RobustfairError(
          `${files.safetensors.file.name}: architecture '${architecture}' has no safetensors name mapping; expected one of ${Object.keys(teacherArchitectures).join(', ')}`,
        );
      }
      importSafetensors(model, new Uint8Array(files.safetensors.file.bytes), { architecture: architecture as TeacherArchitectureId, source: files.safetensors.file.name });
    } else {
      throw new RobustfairError('no weights: pick weights.json and weights.bin of a run, or a .safetensors checkpoint');
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}
