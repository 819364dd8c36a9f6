import { appendFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeEvaluationCsv, writeEvaluationJson } from '@robustfair/attacks/node';
import { StudentModel } from '@robustfair/spec';
import type { Container } from 'inversify';
import type { Arm } from '../config/ablate.js';
import { resolve } from '../di/resolve.js';
import { withArmContainer } from '../di/with-arm-container.js';
import { ExperimentRunner } from '../experiment-runner.js';
import { formatArm } from '../results/format-comparison.js';
import { acquireArmLock } from '../results/arm-lock.js';
import { createCheckpointStore, hasResult, specHash } from '../results/checkpoint-store.js';
import { trimEpochLog } from '../results/epoch-log.js';
import { loadInitialWeights } from '../results/initial-weights.js';
import { methodDeviations } from '../results/method-deviations.js';
import { loadModelWeights, saveModelWeights } from '../results/model-weights.js';
import { pluginRecords, type PluginRecord } from '../results/plugin-hashes.js';
import { collectVersions } from '../results/versions.js';
import { epochLogLine, readArmResult, writeArmManifest, writeArmResult } from '../results/arm-files.js';
import { ResolvedOptions, TeacherModel } from '../tokens.js';
import { ArmInterruptedError } from './arm-interrupted-error.js';
import type { ArmContext, ArmControl, ArmFlags, ArmManifest, ArmResult } from './run-types.js';

// One arm, top to bottom: lock its directory, reuse a finished result, record the manifest, load
// the last checkpoint, build the arm's container, load the teacher and initial weights, train
// and evaluate, write the results. Used in this process and by the arm worker.

/**
 * Trains (or resumes, or reuses) one arm in its own child container and writes its results.
 * Used in this process and by the arm worker (src/parallel/serve-arm-worker.ts). The arm
 * directory is locked while it runs, by whichever process runs it (this one or a worker): a
 * second run on the same `--out` fails naming the first instead of interleaving their files.
 */
export async function runArm(context: ArmContext, arm: Arm, armDirectory: string, flags: ArmFlags, control: ArmControl = {}): Promise<ArmResult> {
  const lock = await acquireArmLock(armDirectory, control.queueJob === undefined ? {} : { queueJob: control.queueJob });
  try {
    return await runLockedArm(context, arm, armDirectory, flags, control);
  } finally {
    await lock.release();
  }
}

async function runLockedArm(context: ArmContext, arm: Arm, armDirectory: string, flags: ArmFlags, control: ArmControl): Promise<ArmResult> {
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
  const resumeFrom = flags.resume ? await checkpoints.load() : undefined;
  reporter.info(`[${arm.label}] training ${arm.spec.training.epochs} epoch(s)`);
  // Deactivation disposes the arm's models when the container is unbound, whatever happens.
  return withArmContainer(context.root, arm.spec, async (child) => {
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
      checkpoint: {
        // A stop asked for (a queue worker's Ctrl-C) takes effect here, once the epoch is saved.
        save: async (checkpoint) => {
          await checkpoints.save(checkpoint);
          if (control.signal?.aborted) throw new ArmInterruptedError(arm.label, checkpoint.completedEpochs, armDirectory);
        },
      },
      ...(resumeFrom ? { resumeFrom } : {}),
      // One JSON line per epoch as it ends (knobs, statistics, strategy state), for live plots and post-mortems.
      extraCallbacks: [
        {
          id: 'epoch-log',
          onEpochEnd: async ({ epoch, statistics, metrics, strategyState, seconds, record }) => {
            const line = { epoch, knobs: record.knobs, learningRate: record.learningRate, statistics, metrics, strategyState, seconds };
            await appendFile(epochLog, epochLogLine(line));
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
  });
}

/** The arm's result.json when it finished with the same spec (reported and printed), else undefined. */
export async function reuseFinishedArm(context: ArmContext, arm: Arm, armDirectory: string): Promise<ArmResult | undefined> {
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

/** Plugins whose module file changed between a recorded result and now, described for a person. */
export function changedPlugins(recorded: readonly PluginRecord[], current: readonly PluginRecord[]): string[] {
  return current.flatMap((now) => {
    const before = recorded.find((entry) => entry.plugin === now.plugin);
    if (before?.sha256 === undefined || now.sha256 === undefined || before.sha256 === now.sha256) return [];
    return [`plugin '${now.plugin}' changed (SHA-256 ${before.sha256.slice(0, 12)}… then, ${now.sha256.slice(0, 12)}… now)`];
  });
}

/** What every arm result starts with: identity, spec, resolved options, versions, backend. */
export function resultHeader(context: ArmContext, arm: Arm, child: Container) {
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

