import { existsSync } from 'node:fs';
import path from 'node:path';
import { writeEvaluationCsv, writeEvaluationJson } from '@robustfair/attacks/node';
import { restoreModelWeights } from '@robustfair/core';
import { importSafetensors, type TeacherArchitectureId } from '@robustfair/models';
import { StudentModel } from '@robustfair/spec';
import type { LoadedConfig } from '../config/load-config.js';
import { resolve } from '../di/resolve.js';
import { withArmContainer } from '../di/with-arm-container.js';
import { ExperimentRunner, type ArmEvaluation } from '../experiment-runner.js';
import { formatArm } from '../results/format-comparison.js';
import { createCheckpointStore, specHash } from '../results/checkpoint-store.js';
import { loadModelWeights } from '../results/model-weights.js';
import { collectVersions } from '../results/versions.js';
import { writeJsonAtomic } from '../results/write-json-atomic.js';
import { readSafetensorsFile } from '../teacher-import/read-safetensors-file.js';
import { prepare } from './prepare.js';
import type { RunOptions } from './run-types.js';

/** Where `robustfair eval` takes its weights from. */
export type SavedWeights =
  | { readonly weights: string }
  | { readonly checkpoint: string }
  /** A PyTorch state_dict in safetensors (e.g. a RobustBench model), imported like a teacher; `architecture` defaults to the model id. */
  | { readonly safetensors: string; readonly architecture?: string };

/** How `robustfair eval` labels and places its evaluation. */
export interface EvaluationOutput {
  /** The label printed and recorded (an arm's own label for a checkpoint); default: the config's name. */
  readonly label?: string;
  /** Replace an earlier evaluation in the same place instead of refusing. */
  readonly force?: boolean;
}

/** What {@link evaluateSavedModel} wrote, and where. */
export interface SavedEvaluation {
  readonly evaluation: ArmEvaluation;
  readonly directory: string;
}

/**
 * Evaluates saved weights under the config's evaluation section: `weights` (a directory with
 * weights.json/.bin from `train`) or `checkpoint` (an arm directory: its latest checkpoint).
 * Writes evaluation.json, evaluation.csv and evaluation-summary.json into its own folder,
 * `<dir>/evaluations/checkpoint-<epochs>/` or `<dir>/evaluations/weights/`, never over the
 * arm's own evaluation (which describes the weights the run selected); an earlier evaluation
 * in that folder is replaced only with `force`.
 */
export async function evaluateSavedModel(config: LoadedConfig, source: SavedWeights, options: RunOptions & EvaluationOutput): Promise<SavedEvaluation> {
  const arm = { label: options.label ?? config.spec.name, spec: config.spec };
  const { root } = await prepare(config, [arm], options);
  return withArmContainer(root, arm.spec, async (child) => {
    const model = resolve(child, StudentModel);
    let directory: string;
    if ('weights' in source) {
      await loadModelWeights(model, source.weights);
      directory = path.join(source.weights, 'evaluations', 'weights');
    } else if ('safetensors' in source) {
      const architecture = (source.architecture ?? arm.spec.model.id) as TeacherArchitectureId;
      importSafetensors(model, await readSafetensorsFile(source.safetensors), { architecture, source: source.safetensors });
      directory = path.join(path.dirname(source.safetensors), 'evaluations', path.basename(source.safetensors, '.safetensors'));
    } else {
      const checkpoint = await createCheckpointStore(source.checkpoint, specHash(arm.spec), { epochs: arm.spec.training.epochs }).load();
      if (!checkpoint) throw new Error(`${source.checkpoint} holds no checkpoint (checkpoint.json is missing)`);
      restoreModelWeights(model, checkpoint.weights);
      directory = path.join(source.checkpoint, 'evaluations', `checkpoint-${checkpoint.completedEpochs}`);
    }
    const summary = path.join(directory, 'evaluation-summary.json');
    if (!options.force && existsSync(summary)) {
      throw new Error(`${directory} already holds an evaluation of these weights; pass --force to replace it`);
    }
    const { evaluation, report } = await child.get(ExperimentRunner).evaluate(arm.label);
    await writeEvaluationJson(path.join(directory, 'evaluation.json'), report);
    await writeEvaluationCsv(path.join(directory, 'evaluation.csv'), report);
    await writeJsonAtomic(summary, { schemaVersion: 1, label: arm.label, source, versions: collectVersions(), evaluation });
    options.print?.(formatArm(arm.label, evaluation, report.classNames));
    options.print?.(`evaluation written to ${directory}`);
    return { evaluation, directory };
  });
}

