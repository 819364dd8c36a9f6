import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { writeEvaluationCsv, writeEvaluationJson } from '@robustfair/attacks';
import { parseOptions, restoreModelWeights, selectBackend, type BackendChoice, type BackendSelection, type EpochRecord } from '@robustfair/core';
import { importSafetensors, type TeacherArchitectureId } from '@robustfair/models';
import { RunFileError, StudentModel, type ClassKnobs, type Divergence, type JsonValue } from '@robustfair/spec';
import { Container } from 'inversify';
import { builtinBackendProviders } from './backend-providers.js';
import { ablate, type Arm } from './config/ablate.js';
import { assertPathSegment } from './config/path-segment.js';
import type { LoadedConfig } from './config/load-config.js';
import { loadOutsidePlugins } from './config/load-outside-plugins.js';
import { pluginRecords, type PluginRecord } from './results/plugin-hashes.js';
import { restoreCachedTeacher, storeCachedTeacher } from './results/teacher-cache.js';
import { experimentModule } from './di/experiment-module.js';
import { resolve } from './di/resolve.js';
import { createRootContainer } from './di/root-container.js';
import { specRegistries, validateSpecPlugins } from './di/validate-spec.js';
import { ExperimentRunner, type ArmEvaluation } from './experiment-runner.js';
import { runArmsInWorkers } from './parallel/run-arms-in-workers.js';
import { formatArm, formatComparison } from './results/format-comparison.js';
import { createLineReporter, type ProgressReporter } from './progress/progress-reporter.js';
import { loadInitialWeights } from './results/initial-weights.js';
import { methodDeviations } from './results/method-deviations.js';
import { loadModelWeights, saveModelWeights } from './results/model-weights.js';
import { epochLogLine, readArmResult, writeArmManifest, writeArmResult, writeComparison } from './results/arm-files.js';
import { acquireArmLock } from './results/arm-lock.js';
import { readSafetensorsFile } from './teacher-import/read-safetensors-file.js';
import { createCheckpointStore, hasResult, specHash } from './results/checkpoint-store.js';
import { collectVersions } from './results/versions.js';
import { trimEpochLog } from './results/epoch-log.js';
import { comparisonCsv } from './results/comparison-csv.js';
import { writeFileAtomic, writeJsonAtomic } from './results/write-json-atomic.js';
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
  /**
   * Arms trained at once, each in its own child process with its own container and backend (the
   * one selected here). Default 1: one after another in this process. Bounded by
   * `os.availableParallelism()` and by the arms left to train; teachers always train here first.
   */
  readonly workers?: number;
  /**
   * A teacher cache shared across runs and results directories (`<teacherCache>/<spec hash>/`:
   * weights and result): a trained teacher of the same spec, trained by the same code on the same
   * backend, is copied from there instead of being trained again, and a newly trained one is
   * stored there. Undefined: no shared cache (teachers are still reused within `out`). The CLI
   * passes `defaultTeacherCacheDirectory()` unless told otherwise.
   */
  readonly teacherCache?: string;
}

/** What an arm directory records at its start, so `train --resume DIR` needs nothing else. */
export interface ArmManifest {
  readonly schemaVersion: 1;
  readonly name: string;
  readonly label: string;
  readonly configFile: string;
  /**
   * The results root the arm was started under. A record only: `train --resume DIR` continues
   * DIR itself, wherever it has been moved since.
   */
  readonly out: string;
  readonly specHash: string;
  readonly spec: Arm['spec'];
  /**
   * Set by `readArmManifest` when the directory was written by an older version whose spec
   * today's defaults only extend: the hash its checkpoints carry, accepted when resuming.
   */
  readonly previousSpecHash?: string;
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
  /** The config's outside plugins: each module file and its SHA-256 (absent without plugins). */
  readonly plugins?: readonly PluginRecord[];
  readonly training: {
    readonly epochs: readonly EpochRecord[];
    readonly strategyState: JsonValue;
    readonly seconds: number;
    readonly stopped?: string;
    /** Training hit a non-finite loss or weight (`training.onNonFinite: 'stop'`): the evaluated weights are the last finite ones. */
    readonly diverged?: Divergence;
    /** Checkpoint selection scores and chosen epoch, weight-averaging updates. */
    readonly monitor?: unknown;
    /** For an imported teacher: the file its weights came from, and that file's SHA-256. */
    readonly imported?: string;
    readonly importedSha256?: string;
    /** The strategy's validation update before epoch 0 (FRL), with its statistics and state. */
    readonly initialUpdate?: unknown;
  };
  /** Where the arm, as configured, departs from its method's reference code (e.g. FRL without a hot start). */
  readonly deviations?: readonly string[];
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

/**
 * Runs every arm of a config in its own child container, writing each arm's result atomically
 * as soon as it finishes, then the comparison. Teachers are trained (or imported) first, in this
 * process, once per distinct teacher spec; then the arms run one after another here, or with
 * `workers` > 1 in up to that many child processes (results are identical either way: every
 * random stream derives from the arm's seed).
 */
export async function runExperiments(config: LoadedConfig, options: RunOptions): Promise<ComparisonResult> {
  const requestedWorkers = checkWorkerCount(options.workers ?? 1);
  const arms = armsOf(config);
  // The name and every label become directories under `out`: checked before anything loads.
  const name = assertPathSegment(config.spec.name, 'experiment', 'name');
  for (const [index, arm] of arms.entries()) assertPathSegment(arm.label, 'compare', `arms.${index}.label`);
  const { root, reporter, backend } = await prepare(config, arms, options);
  const directory = path.resolve(options.out, name);
  const context: ArmContext = { root, reporter, backend, name, configFile: config.file, options };
  const teachers = await trainTeachers(context, arms, directory);
  const flagsOf = (arm: Arm): ArmFlags => {
    const teacherSpec = teacherSpecOf(arm.spec);
    const teacher = teacherSpec ? teachers.get(specHash(teacherSpec)) : undefined;
    return { saveWeights: options.saveWeights === true, resume: options.resume === true, ...(teacher ? { teacher } : {}) };
  };
  const jobs = arms.map((arm) => ({ arm, armDirectory: path.join(directory, arm.label), flags: flagsOf(arm) }));
  const results: ArmResult[] = [];
  if (requestedWorkers === 1) {
    for (const job of jobs) results.push(await runArm(context, job.arm, job.armDirectory, job.flags));
  } else {
    results.push(...(await runArmsWithWorkers(context, jobs, requestedWorkers)));
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
  await writeComparison(directory, comparison);
  await writeFileAtomic(path.join(directory, 'comparison.csv'), comparisonCsv(comparison.arms));
  if (config.compare) options.print?.(`\n${formatComparison(config.compare.field ?? 'method', results)}`);
  reporter.info(`results written to ${directory}`);
  return comparison;
}

function checkWorkerCount(workers: number): number {
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a whole number of at least 1, got ${workers}`);
  return workers;
}

/** The teacher stage: every distinct teacher of the arms, trained (or imported) once, in config order. */
async function trainTeachers(context: ArmContext, arms: readonly Arm[], directory: string): Promise<Map<string, TeacherRecord>> {
  const teachers = new Map<string, TeacherRecord>();
  for (const arm of arms) {
    const teacherSpec = teacherSpecOf(arm.spec);
    if (!teacherSpec) continue;
    const key = specHash(teacherSpec);
    if (teachers.has(key)) continue;
    const label = `teacher-${key.slice(0, 8)}`;
    const teacherDirectory = path.join(directory, 'teachers', label);
    context.reporter.info(`[${label}] the teacher of arm '${arm.label}' (trained once, cached in ${teacherDirectory})`);
    const result = arm.spec.teacher?.import
      ? await importTeacher(context, { label, spec: teacherSpec }, teacherDirectory, arm.spec.teacher.import)
      : await trainTeacher(context, { label, spec: teacherSpec }, key, teacherDirectory);
    teachers.set(key, { key, directory: teacherDirectory, result });
  }
  return teachers;
}

/**
 * A trained teacher: reused from the results directory, else copied from the shared teacher cache
 * (`options.teacherCache`), else trained and then stored in that cache. Cache problems are
 * reported and cost only training.
 */
async function trainTeacher(context: ArmContext, arm: Arm, key: string, teacherDirectory: string): Promise<ArmResult> {
  const cache = context.options.teacherCache;
  let source: string | undefined;
  if (cache !== undefined) {
    try {
      source = await restoreCachedTeacher(cache, key, teacherDirectory);
      if (source) context.reporter.info(`[${arm.label}] reusing the teacher trained earlier with the same spec (teacher cache ${source})`);
    } catch (error) {
      context.reporter.info(`[${arm.label}] teacher cache ${cache}: ${(error as Error).message}; training instead`);
    }
  }
  const result = await runArm(context, arm, teacherDirectory, { saveWeights: true, resume: true });
  if (cache !== undefined && source === undefined) {
    try {
      const stored = await storeCachedTeacher(cache, key, teacherDirectory);
      context.reporter.info(`[${arm.label}] stored in the teacher cache: ${stored}`);
    } catch (error) {
      context.reporter.info(`[${arm.label}] could not store the teacher in the cache ${cache}: ${(error as Error).message}`);
    }
  }
  return result;
}

/**
 * The arms in child processes: finished arms are reused here (with `resume`), the others run in
 * up to `requested` workers (bounded by the cores and by the arms left). Results in config order.
 */
async function runArmsWithWorkers(context: ArmContext, jobs: readonly ArmJob[], requested: number): Promise<ArmResult[]> {
  const results = new Map<ArmJob, ArmResult>();
  const pending: ArmJob[] = [];
  for (const job of jobs) {
    const finished = job.flags.resume ? await reuseFinishedArm(context, job.arm, job.armDirectory) : undefined;
    if (finished) results.set(job, finished);
    else pending.push(job);
  }
  const cores = availableParallelism();
  if (requested > cores) context.reporter.info(`workers: ${requested} asked for, this machine runs ${cores} at once; using ${cores}`);
  const workers = Math.min(requested, cores, pending.length);
  if (workers <= 1) {
    for (const job of pending) results.set(job, await runArm(context, job.arm, job.armDirectory, job.flags));
  } else {
    context.reporter.info(`running ${pending.length} arm(s) in ${workers} worker processes`);
    const trained = await runArmsInWorkers(pending, {
      workers,
      shared: { name: context.name, configFile: context.configFile, out: path.resolve(context.options.out), backend: context.backend },
      reporter: context.reporter,
      ...(context.options.print ? { print: context.options.print } : {}),
    });
    pending.forEach((job, index) => results.set(job, trained[index] as ArmResult));
  }
  return jobs.map((job) => results.get(job) as ArmResult);
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

/** What running an arm needs from its surroundings (this process, or a worker's own). */
export interface ArmContext {
  readonly root: Container;
  readonly reporter: ProgressReporter;
  readonly backend: BackendSelection;
  readonly name: string;
  readonly configFile: string;
  readonly options: RunOptions;
}

/** A trained (or cached) teacher: its arm directory holds weights.json/.bin and its result. */
export interface TeacherRecord {
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
  source: { readonly file: string; readonly architecture?: string | undefined; readonly sha256?: string | undefined },
): Promise<ArmResult> {
  const lock = await acquireArmLock(armDirectory);
  try {
    return await importTeacherLocked(context, arm, armDirectory, source);
  } finally {
    await lock.release();
  }
}

async function importTeacherLocked(
  context: ArmContext,
  arm: Arm,
  armDirectory: string,
  source: { readonly file: string; readonly architecture?: string | undefined; readonly sha256?: string | undefined },
): Promise<ArmResult> {
  const file = path.resolve(path.dirname(context.configFile), source.file);
  // The header is read and checked before the data (a huge or damaged file fails at once).
  const bytes = await readSafetensorsFile(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (source.sha256 !== undefined && source.sha256 !== sha256) {
    throw new RunFileError(file, `has SHA-256 ${sha256}, but teacher.import.sha256 expects ${source.sha256}: it is not the file the config names`);
  }
  const cached = await reuseImportedTeacher(armDirectory, arm, sha256);
  if (cached) context.reporter.info(`[${arm.label}] ${file} already imported and evaluated: reusing ${path.join(armDirectory, 'result.json')}`);
  // Weights are always written from the file (cheap); an earlier evaluation of the same file is reused.
  if (cached && existsSync(path.join(armDirectory, 'weights.json'))) return cached;
  const child = new Container({ parent: context.root, defaultScope: 'Singleton' });
  const { teacher: _teacher, ...spec } = arm.spec;
  child.load(experimentModule(spec));
  try {
    const model = resolve(child, StudentModel);
    const architecture = (source.architecture ?? spec.model.id) as TeacherArchitectureId;
    const report = importSafetensors(model, bytes, { architecture, source: file });
    context.reporter.info(`[${arm.label}] imported ${file} (${report.loaded.length} tensors, ${report.ignored.length} ignored)`);
    await saveModelWeights(model, armDirectory);
    if (cached) return cached;
    const started = performance.now();
    const { evaluation, report: suite } = await child.get(ExperimentRunner).evaluate(arm.label);
    const result: ArmResult = {
      ...resultHeader(context, arm, child),
      training: { epochs: [], strategyState: null, seconds: 0, imported: file, importedSha256: sha256 },
      evaluation: { ...evaluation, seconds: (performance.now() - started) / 1000 },
    };
    await writeEvaluationJson(path.join(armDirectory, 'evaluation.json'), suite);
    await writeArmResult(armDirectory, result);
    context.options.print?.(`\n${formatArm(arm.label, evaluation, suite.classNames)}`);
    return result;
  } finally {
    child.unbindAll();
  }
}

/**
 * The result of an earlier import of the same file (by content) under the same spec: evaluating
 * a teacher (AutoAttack included) is done once per results directory, and a committed result
 * travels with the results to another machine. The directory is our own cache: anything
 * unreadable there just means evaluating again.
 */
async function reuseImportedTeacher(armDirectory: string, arm: Arm, sha256: string): Promise<ArmResult | undefined> {
  if (!(await hasResult(armDirectory))) return undefined;
  try {
    const earlier = await readArmResult(armDirectory);
    return earlier.training.importedSha256 === sha256 && specHash(earlier.spec) === specHash(arm.spec) ? earlier : undefined;
  } catch {
    return undefined;
  }
}

/** What every arm result starts with: identity, spec, resolved options, versions, backend. */
function resultHeader(context: ArmContext, arm: Arm, child: Container) {
  const resolvedOptions = Object.fromEntries(resolve(child, ResolvedOptions));
  const deviations = methodDeviations(arm.spec, resolvedOptions['fairness']);
  return {
    schemaVersion: 1 as const,
    name: context.name,
    label: arm.label,
    seed: arm.spec.seed,
    spec: arm.spec,
    resolvedOptions,
    versions: collectVersions(),
    backend: context.backend,
    ...(deviations.length > 0 ? { deviations } : {}),
    ...(arm.spec.plugins.length > 0 ? { plugins: pluginRecords(context.configFile, arm.spec.plugins) } : {}),
  };
}

/** How an arm runs: save its weights, reuse or continue earlier work, distil from a teacher. */
export interface ArmFlags {
  readonly saveWeights: boolean;
  /** Reuse a finished result of the same spec; continue from the last checkpoint. */
  readonly resume: boolean;
  readonly teacher?: TeacherRecord;
  /** Spec hashes of an older version's checkpoints of this same arm (see ArmManifest.previousSpecHash). */
  readonly acceptedSpecHashes?: readonly string[];
}

/** One arm to run and where it writes. */
export interface ArmJob {
  readonly arm: Arm;
  readonly armDirectory: string;
  readonly flags: ArmFlags;
}

/** Plugins whose module file changed between a recorded result and now, described for a person. */
export function changedPlugins(recorded: readonly PluginRecord[], current: readonly PluginRecord[]): string[] {
  return current.flatMap((now) => {
    const before = recorded.find((entry) => entry.plugin === now.plugin);
    if (before?.sha256 === undefined || now.sha256 === undefined || before.sha256 === now.sha256) return [];
    return [`plugin '${now.plugin}' changed (SHA-256 ${before.sha256.slice(0, 12)}… then, ${now.sha256.slice(0, 12)}… now)`];
  });
}

/** The arm's result.json when it finished with the same spec (reported and printed), else undefined. */
async function reuseFinishedArm(context: ArmContext, arm: Arm, armDirectory: string): Promise<ArmResult | undefined> {
  if (!(await hasResult(armDirectory))) return undefined;
  const finished = await readArmResult(armDirectory);
  if (specHash(finished.spec) !== specHash(arm.spec)) return undefined;
  context.reporter.info(`[${arm.label}] already finished: reusing ${path.join(armDirectory, 'result.json')}`);
  for (const change of changedPlugins(finished.plugins ?? [], pluginRecords(context.configFile, arm.spec.plugins))) {
    context.reporter.info(`[${arm.label}] warning: ${change} since this result was written; delete ${armDirectory} to retrain with it`);
  }
  context.options.print?.(`\n${formatArm(arm.label, finished.evaluation)}`);
  return finished;
}

/**
 * Trains (or resumes, or reuses) one arm in its own child container and writes its results.
 * Used in this process and by the arm worker (src/parallel/serve-arm-worker.ts). The arm
 * directory is locked while it runs, by whichever process runs it (this one or a worker): a
 * second run on the same `--out` fails naming the first instead of interleaving their files.
 */
export async function runArm(context: ArmContext, arm: Arm, armDirectory: string, flags: ArmFlags): Promise<ArmResult> {
  const lock = await acquireArmLock(armDirectory);
  try {
    return await runLockedArm(context, arm, armDirectory, flags);
  } finally {
    await lock.release();
  }
}

async function runLockedArm(context: ArmContext, arm: Arm, armDirectory: string, flags: ArmFlags): Promise<ArmResult> {
  const { reporter, options } = context;
  const hash = specHash(arm.spec);
  if (flags.resume) {
    const finished = await reuseFinishedArm(context, arm, armDirectory);
    if (finished) return finished;
  }
  await writeArmManifest(armDirectory, {
    schemaVersion: 1,
    name: context.name,
    label: arm.label,
    configFile: context.configFile,
    out: path.resolve(options.out),
    specHash: hash,
    spec: arm.spec,
  } satisfies ArmManifest);
  const checkpoints = createCheckpointStore(armDirectory, hash, { epochs: arm.spec.training.epochs, ...(flags.acceptedSpecHashes ? { acceptedHashes: flags.acceptedSpecHashes } : {}) });
  const pendingKnobs = new Map<number, { knobs: ClassKnobs; learningRate: number }>();
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
    // --- initialWeights (FRL's hot start); a resumed arm continues from its own checkpoint ---
    if (arm.spec.initialWeights && !resumeFrom) {
      const loaded = await loadInitialWeights(resolve(child, StudentModel), arm.spec.initialWeights, arm.spec, context.configFile);
      reporter.info(`[${arm.label}] starting from the weights in ${loaded}`);
    }
    const runner = child.get(ExperimentRunner);
    const epochLog = path.join(armDirectory, 'epochs.jsonl');
    if (resumeFrom) await trimEpochLog(epochLog, resumeFrom.completedEpochs);
    else await rm(epochLog, { force: true });
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
            await appendFile(epochLog, epochLogLine({ epoch, ...started, statistics, metrics, strategyState, seconds }));
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
        ...(run.training.initialUpdate ? { initialUpdate: run.training.initialUpdate } : {}),
        ...(run.training.diverged ? { diverged: run.training.diverged } : {}),
        ...(run.monitor ? { monitor: run.monitor } : {}),
      },
      evaluation: { ...run.evaluation, seconds: run.seconds.evaluation },
      ...(flags.teacher ? { teacher: { key: flags.teacher.key, directory: flags.teacher.directory, evaluation: flags.teacher.result.evaluation } } : {}),
    };
    await writeEvaluationJson(path.join(armDirectory, 'evaluation.json'), run.report);
    await writeEvaluationCsv(path.join(armDirectory, 'evaluation.csv'), run.report);
    await writeArmResult(armDirectory, result);
    options.print?.(`\n${formatArm(arm.label, run.evaluation, run.report.classNames)}`);
    return result;
  } finally {
    child.unbindAll(); // deactivation disposes the arm's models
  }
}

/**
 * Continues exactly the arm in `armDirectory` (`robustfair train --resume DIR`), wherever that
 * directory is now: its label is the manifest's, its checkpoints, epoch log and results are
 * DIR's, and a distillation arm's teacher is looked up (or trained) next to it, in
 * `<DIR>/../teachers/`, as the comparison it belongs to cached it. Nothing outside that is
 * written: a comparison's comparison.json is refreshed by `compare --resume` (or `ablate`).
 * The `out` recorded in the manifest is ignored, so a moved run never trains in its old place.
 */
export async function resumeArm(
  config: LoadedConfig,
  manifest: Pick<ArmManifest, 'name' | 'label' | 'previousSpecHash'>,
  armDirectory: string,
  options: Omit<RunOptions, 'out' | 'resume' | 'workers'>,
): Promise<ArmResult> {
  const directory = path.resolve(armDirectory);
  const arm: Arm = { label: assertPathSegment(manifest.label, 'arm manifest', 'label'), spec: config.spec };
  const name = assertPathSegment(manifest.name, 'arm manifest', 'name');
  // Recorded in the rewritten spec.json; the arm runs in `directory` whatever it says.
  const runOptions: RunOptions = { ...options, out: path.dirname(path.dirname(directory)), resume: true };
  const { root, reporter, backend } = await prepare(config, [arm], runOptions);
  const context: ArmContext = { root, reporter, backend, name, configFile: config.file, options: runOptions };
  const teachers = await trainTeachers(context, [arm], path.dirname(directory));
  const teacherSpec = teacherSpecOf(arm.spec);
  const teacher = teacherSpec ? teachers.get(specHash(teacherSpec)) : undefined;
  const result = await runArm(context, arm, directory, {
    saveWeights: options.saveWeights === true,
    resume: true,
    ...(teacher ? { teacher } : {}),
    ...(manifest.previousSpecHash ? { acceptedSpecHashes: [manifest.previousSpecHash] } : {}),
  });
  reporter.info(`results written to ${directory}`);
  return result;
}

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
  const child = new Container({ parent: root, defaultScope: 'Singleton' });
  child.load(experimentModule(arm.spec));
  try {
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
  } finally {
    child.unbindAll();
  }
}

