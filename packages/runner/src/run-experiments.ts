import { appendFile, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeEvaluationCsv, writeEvaluationJson } from '@robustfair/attacks';
import { parseOptions, restoreModelWeights, selectBackend, type BackendChoice, type BackendSelection } from '@robustfair/core';
import { importSafetensors, type TeacherArchitectureId } from '@robustfair/models';
import { StudentModel } from '@robustfair/spec';
import { Container } from 'inversify';
import { ablate, type Arm } from './config/ablate.js';
import type { LoadedConfig } from './config/load-config.js';
import { loadOutsidePlugins } from './config/load-outside-plugins.js';
import { experimentModule } from './di/experiment-module.js';
import { resolve } from './di/resolve.js';
import { createRootContainer } from './di/root-container.js';
import { specRegistries, validateSpecPlugins } from './di/validate-spec.js';
import { ExperimentRunner, type ArmEvaluation } from './experiment-runner.js';
import { formatArm, formatComparison } from './report/format-comparison.js';
import { createLineReporter, type ProgressReporter } from './report/progress-reporter.js';
import { loadModelWeights, saveModelWeights } from './results/model-weights.js';
import { createCheckpointStore, hasResult, specHash } from './results/checkpoint-store.js';
import { collectVersions } from './results/versions.js';
import { writeJsonAtomic } from './results/write-json-atomic.js';
import { ResolvedOptions, TeacherModel } from './tokens.js';

export interface RunOptions {
  /** Results root; an arm writes to `<out>/<name>/<label>/`. */
  readonly out: string;
  readonly reporter?: ProgressReporter;
  /** Overrides the spec's backend. */
  readonly backend?: BackendChoice;
  /** Print tables to this sink (stdout in the CLI). */
  readonly print?: (text: string) => void;
  /** Save each arm's model weights next to its results. */
  readonly saveWeights?: boolean;
  /**
   * Continue an interrupted run in the same `out`: finished arms (result.json) are reused,
   * unfinished ones continue from their last checkpoint. Without it, arms start afresh.
   */
  readonly resume?: boolean;
}

/** What an arm directory records at its start, so `train --resume DIR` needs nothing else. */
export interface ArmManifest {
  readonly schemaVersion: 1;
  readonly name: string;
  readonly label: string;
  readonly configFile: string;
  readonly out: string;
  readonly specHash: string;
  readonly spec: Arm['spec'];
}

/** One arm's result file (`result.json`): everything needed to reproduce and compare it. */
export interface ArmResult {
  readonly schemaVersion: 1;
  readonly name: string;
  readonly label: string;
  readonly seed: number;
  readonly spec: Arm['spec'];
  readonly resolvedOptions: Record<string, { id: string; options: unknown }>;
  readonly versions: Record<string, string>;
  readonly backend: BackendSelection;
  readonly training: {
    readonly epochs: unknown;
    readonly strategyState: unknown;
    readonly seconds: number;
    readonly stopped?: string;
    /** Checkpoint selection scores and chosen epoch, weight-averaging updates. */
    readonly monitor?: unknown;
    /** For an imported teacher: the file its weights came from. */
    readonly imported?: string;
  };
  readonly evaluation: ArmEvaluation & { readonly seconds: number };
  /** The teacher this arm distilled from: its cache directory and its own robustness. */
  readonly teacher?: { readonly key: string; readonly directory: string; readonly evaluation: ArmEvaluation };
}

export interface ComparisonResult {
  readonly schemaVersion: 1;
  readonly name: string;
  readonly field: string | null;
  readonly directory: string;
  readonly arms: readonly ArmResult[];
  /** Teachers trained for the arms (each once), with their robustness. */
  readonly teachers: readonly { readonly key: string; readonly directory: string; readonly evaluation: ArmEvaluation }[];
  /** E.g. a teacher that is not more robust than the best student trained without one. */
  readonly warnings: readonly string[];
}

/** The arms of a loaded config: the comparison's, or the single spec. */
export function armsOf(config: LoadedConfig): Arm[] {
  return config.compare ? ablate(config.raw, config.compare) : [{ label: config.spec.name, spec: config.spec }];
}

async function prepare(config: LoadedConfig, arms: readonly Arm[], options: RunOptions) {
  const first = arms[0];
  if (!first) throw new Error('nothing to run: no arms');
  const backendChoice = options.backend ?? first.spec.backend;
  const plugins = await loadOutsidePlugins(config.file, first.spec.plugins);
  const reporter = options.reporter ?? createLineReporter();
  const root = createRootContainer({ plugins, reporter });
  const registries = specRegistries(root);
  // Every arm is checked before the first one trains: a typo in arm 3 costs nothing.
  for (const arm of arms) validateSpecPlugins(arm.spec, registries, `arm '${arm.label}'`);
  // Datasets that fetch files (the CIFAR downloads) do it now, once per distinct choice.
  const prepared = new Set<string>();
  for (const arm of arms) {
    const key = JSON.stringify(arm.spec.dataset);
    if (prepared.has(key)) continue;
    prepared.add(key);
    const plugin = registries.datasets.get(arm.spec.dataset.id);
    await plugin.prepare?.(parseOptions(plugin.optionsSchema, arm.spec.dataset.options ?? {}, `dataset '${plugin.id}' options`, 'dataset.options'));
  }
  const backend = await selectBackend(backendChoice === 'auto' ? undefined : backendChoice);
  reporter.info(`backend: ${backend.active}`);
  return { root, reporter, backend };
}

/**
 * Runs every arm of a config in its own child container, one after another, writing each
 * arm's result atomically as soon as it finishes, then the comparison.
 */
export async function runExperiments(config: LoadedConfig, options: RunOptions): Promise<ComparisonResult> {
  const arms = armsOf(config);
  const { root, reporter, backend } = await prepare(config, arms, options);
  const name = config.spec.name;
  const directory = path.resolve(options.out, name);
  const context: ArmContext = { root, reporter, backend, name, configFile: config.file, options };
  const teachers = new Map<string, TeacherRecord>(); // one teacher per distinct teacher spec, shared by the arms
  const results: ArmResult[] = [];
  for (const arm of arms) {
    let teacher: TeacherRecord | undefined;
    const teacherSpec = teacherSpecOf(arm.spec);
    if (teacherSpec) {
      const key = specHash(teacherSpec);
      teacher = teachers.get(key);
      if (!teacher) {
        const label = `teacher-${key.slice(0, 8)}`;
        reporter.info(`[${label}] the teacher of arm '${arm.label}' (trained once, cached in ${path.join(directory, 'teachers', label)})`);
        const teacherDirectory = path.join(directory, 'teachers', label);
        const trained = arm.spec.teacher?.import
          ? await importTeacher(context, { label, spec: teacherSpec }, teacherDirectory, arm.spec.teacher.import)
          : await runArm(context, { label, spec: teacherSpec }, teacherDirectory, { saveWeights: true, resume: true });
        teacher = { key, directory: path.join(directory, 'teachers', label), result: trained };
        teachers.set(key, teacher);
      }
    }
    results.push(await runArm(context, arm, path.join(directory, arm.label), { saveWeights: options.saveWeights === true, resume: options.resume === true, ...(teacher ? { teacher } : {}) }));
  }
  const comparison: ComparisonResult = {
    schemaVersion: 1,
    name,
    field: config.compare?.field ?? null,
    directory,
    arms: results,
    teachers: [...teachers.values()].map(({ key, directory: where, result }) => ({ key, directory: where, evaluation: result.evaluation })),
    warnings: teacherWarnings(results),
  };
  for (const warning of comparison.warnings) reporter.info(`WARNING ${warning}`);
  await writeJsonAtomic(path.join(directory, 'comparison.json'), comparison);
  if (config.compare) options.print?.(`\n${formatComparison(config.compare.field ?? 'method', results)}`);
  reporter.info(`results written to ${directory}`);
  return comparison;
}

/**
 * A distillation arm is capped by its teacher (DESIGN.md, "What a CPU-sized run can show"): warn
 * when a teacher's average robust accuracy under the first attack does not exceed that of the
 * best arm trained without a teacher.
 */
export function teacherWarnings(arms: readonly ArmResult[]): string[] {
  const robust = (evaluation: ArmEvaluation) => Object.values(evaluation.attacks)[0]?.average ?? Number.NaN;
  const baselines = arms.filter((arm) => !arm.teacher);
  if (baselines.length === 0) return [];
  const best = baselines.reduce((a, b) => (robust(b.evaluation) > robust(a.evaluation) ? b : a));
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const arm of arms) {
    if (!arm.teacher || seen.has(arm.teacher.key)) continue;
    seen.add(arm.teacher.key);
    if (!(robust(arm.teacher.evaluation) > robust(best.evaluation))) {
      warnings.push(
        `teacher ${arm.teacher.key.slice(0, 8)} (robust ${robust(arm.teacher.evaluation).toFixed(3)}) is not more robust than the student arm '${best.label}' (${robust(best.evaluation).toFixed(3)}): distillation arms are capped by it`,
      );
    }
  }
  return warnings;
}

interface ArmContext {
  readonly root: Container;
  readonly reporter: ProgressReporter;
  readonly backend: BackendSelection;
  readonly name: string;
  readonly configFile: string;
  readonly options: RunOptions;
}

/** A trained (or cached) teacher: its arm directory holds weights.json/.bin and its result. */
interface TeacherRecord {
  readonly key: string;
  readonly directory: string;
  readonly result: ArmResult;
}

/**
 * The spec a teacher is trained with: the student arm's data, seed and evaluation, with the
 * teacher's own model, objective, attack and training schedule, and no fairness strategy.
 * Undefined when the arm has no teacher.
 */
export function teacherSpecOf(spec: Arm['spec']): Arm['spec'] | undefined {
  if (!spec.teacher) return undefined;
  const { teacher, distiller: _distiller, ...rest } = spec;
  return {
    ...rest,
    model: teacher.model,
    objective: teacher.objective,
    trainingAttack: teacher.trainingAttack,
    fairness: { id: 'identity' },
    // An imported teacher is not trained; its spec still needs a schedule, and it names the file.
    training: teacher.training ?? { ...rest.training, epochs: 1 },
    ...(teacher.import ? { teacher: { ...teacher } } : {}),
  };
}

/**
 * An imported teacher: the safetensors file is loaded into the teacher model (names and layouts
 * mapped, ignore-list applied), saved in our weight format for the student arms, and evaluated
 * by the same suite so its robustness is recorded like a trained teacher's.
 */
async function importTeacher(
  context: ArmContext,
  arm: Arm,
  armDirectory: string,
  source: { readonly file: string; readonly architecture?: string | undefined },
): Promise<ArmResult> {
  const child = new Container({ parent: context.root, defaultScope: 'Singleton' });
  const { teacher: _teacher, ...spec } = arm.spec;
  child.load(experimentModule(spec));
  try {
    const model = resolve(child, StudentModel);
    const file = path.resolve(path.dirname(context.configFile), source.file);
    const architecture = (source.architecture ?? spec.model.id) as TeacherArchitectureId;
    const report = importSafetensors(model, new Uint8Array(await readFile(file)), { architecture });
    context.reporter.info(`[${arm.label}] imported ${file} (${report.loaded.length} tensors, ${report.ignored.length} ignored)`);
    await saveModelWeights(model, armDirectory);
    const started = performance.now();
    const { evaluation, report: suite } = await child.get(ExperimentRunner).evaluate(arm.label);
    const result: ArmResult = {
      ...resultHeader(context, arm, child),
      training: { epochs: [], strategyState: null, seconds: 0, imported: file },
      evaluation: { ...evaluation, seconds: (performance.now() - started) / 1000 },
    };
    await writeEvaluationJson(path.join(armDirectory, 'evaluation.json'), suite);
    await writeJsonAtomic(path.join(armDirectory, 'result.json'), result);
    context.options.print?.(`\n${formatArm(arm.label, evaluation)}`);
    return result;
  } finally {
    child.unbindAll();
  }
}

/** What every arm result starts with: identity, spec, resolved options, versions, backend. */
function resultHeader(context: ArmContext, arm: Arm, child: Container) {
  return {
    schemaVersion: 1 as const,
    name: context.name,
    label: arm.label,
    seed: arm.spec.seed,
    spec: arm.spec,
    resolvedOptions: Object.fromEntries(resolve(child, ResolvedOptions)),
    versions: collectVersions(),
    backend: context.backend,
  };
}

/** Trains (or resumes, or reuses) one arm in its own child container and writes its results. */
async function runArm(
  context: ArmContext,
  arm: Arm,
  armDirectory: string,
  flags: { readonly saveWeights: boolean; readonly resume: boolean; readonly teacher?: TeacherRecord },
): Promise<ArmResult> {
  const { reporter, options } = context;
  const hash = specHash(arm.spec);
  if (flags.resume && (await hasResult(armDirectory))) {
    const finished = JSON.parse(await readFile(path.join(armDirectory, 'result.json'), 'utf8')) as ArmResult;
    if (specHash(finished.spec) === hash) {
      reporter.info(`[${arm.label}] already finished: reusing ${path.join(armDirectory, 'result.json')}`);
      options.print?.(`\n${formatArm(arm.label, finished.evaluation)}`);
      return finished;
    }
  }
  await writeJsonAtomic(path.join(armDirectory, 'spec.json'), {
    schemaVersion: 1,
    name: context.name,
    label: arm.label,
    configFile: context.configFile,
    out: path.resolve(options.out),
    specHash: hash,
    spec: arm.spec,
  } satisfies ArmManifest);
  const checkpoints = createCheckpointStore(armDirectory, hash);
  const pendingKnobs = new Map<number, { knobs: unknown; learningRate: number }>();
  const resumeFrom = flags.resume ? await checkpoints.load() : undefined;
  reporter.info(`[${arm.label}] training ${arm.spec.training.epochs} epoch(s)`);
  const child = new Container({ parent: context.root, defaultScope: 'Singleton' });
  child.load(experimentModule(arm.spec));
  try {
    if (flags.teacher) {
      const teacherModel = resolve(child, TeacherModel);
      if (!teacherModel) throw new Error(`arm '${arm.label}' has a teacher record but no teacher model`);
      await loadModelWeights(teacherModel, flags.teacher.directory);
    }
    const runner = child.get(ExperimentRunner);
    const epochLog = path.join(armDirectory, 'epochs.jsonl');
    if (!resumeFrom) await rm(epochLog, { force: true });
    const run = await runner.run(arm.label, {
      checkpoint: checkpoints,
      ...(resumeFrom ? { resumeFrom } : {}),
      // One JSON line per epoch as it ends (statistics, knobs, strategy state), for live plots and post-mortems.
      extraCallbacks: [
        {
          id: 'epoch-log',
          onEpochStart: ({ epoch, knobs, learningRate }) => {
            pendingKnobs.set(epoch, { knobs, learningRate });
          },
          onEpochEnd: async ({ epoch, statistics, metrics, strategyState, seconds }) => {
            const started = pendingKnobs.get(epoch);
            await appendFile(epochLog, `${JSON.stringify({ epoch, ...started, statistics, metrics, strategyState, seconds })}\n`);
          },
        },
      ],
    });
    if (flags.saveWeights) await saveModelWeights(resolve(child, StudentModel), armDirectory);
    const result: ArmResult = {
      ...resultHeader(context, arm, child),
      training: {
        epochs: run.training.epochs,
        strategyState: run.training.strategyState,
        seconds: run.seconds.training,
        ...(run.training.stopped ? { stopped: run.training.stopped } : {}),
        ...(run.monitor ? { monitor: run.monitor } : {}),
      },
      evaluation: { ...run.evaluation, seconds: run.seconds.evaluation },
      ...(flags.teacher ? { teacher: { key: flags.teacher.key, directory: flags.teacher.directory, evaluation: flags.teacher.result.evaluation } } : {}),
    };
    await writeEvaluationJson(path.join(armDirectory, 'evaluation.json'), run.report);
    await writeEvaluationCsv(path.join(armDirectory, 'evaluation.csv'), run.report);
    await writeJsonAtomic(path.join(armDirectory, 'result.json'), result);
    options.print?.(`\n${formatArm(arm.label, run.evaluation)}`);
    return result;
  } finally {
    child.unbindAll(); // deactivation disposes the arm's models
  }
}

/** Where `robustfair eval` takes its weights from. */
export type SavedWeights = { readonly weights: string } | { readonly checkpoint: string };

/**
 * Evaluates saved weights under the config's evaluation section: `weights` (a directory with
 * weights.json/.bin from `train`) or `checkpoint` (an arm directory: its latest checkpoint).
 * Writes evaluation.json, evaluation.csv and evaluation-summary.json into that directory.
 */
export async function evaluateSavedModel(config: LoadedConfig, source: SavedWeights, options: RunOptions): Promise<ArmEvaluation> {
  const arm = { label: config.spec.name, spec: config.spec };
  const { root } = await prepare(config, [arm], options);
  const child = new Container({ parent: root, defaultScope: 'Singleton' });
  child.load(experimentModule(arm.spec));
  const directory = 'weights' in source ? source.weights : source.checkpoint;
  try {
    const model = resolve(child, StudentModel);
    if ('weights' in source) {
      await loadModelWeights(model, source.weights);
    } else {
      const checkpoint = await createCheckpointStore(source.checkpoint, specHash(arm.spec)).load();
      if (!checkpoint) throw new Error(`${source.checkpoint} holds no checkpoint (checkpoint.json is missing)`);
      restoreModelWeights(model, checkpoint.weights);
    }
    const { evaluation, report } = await child.get(ExperimentRunner).evaluate(arm.label);
    await writeEvaluationJson(path.join(directory, 'evaluation.json'), report);
    await writeEvaluationCsv(path.join(directory, 'evaluation.csv'), report);
    await writeJsonAtomic(path.join(directory, 'evaluation-summary.json'), { schemaVersion: 1, versions: collectVersions(), evaluation });
    options.print?.(formatArm(arm.label, evaluation));
    return evaluation;
  } finally {
    child.unbindAll();
  }
}

/** Reads the manifest an arm directory was started with (for `robustfair train --resume DIR`). */
export async function readArmManifest(armDirectory: string): Promise<ArmManifest> {
  const file = path.join(armDirectory, 'spec.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ArmManifest;
  } catch (error) {
    throw new Error(`cannot resume from ${armDirectory}: ${file} is missing or unreadable (${(error as Error).message})`);
  }
}
