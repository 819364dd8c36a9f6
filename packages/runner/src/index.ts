// @robustfair/runner: the composition root. The only package that creates an inversify Container.
export { ablate, type Arm } from './config/ablate.js';
export { crossComparison, expandAblation, parseAxis, type AblationAxis } from './config/expand-ablation.js';
export {
  comparisonSchema,
  experimentSpecSchema,
  type Comparison,
  type ExperimentSpec,
} from './config/experiment-spec.js';
export { applyOverrides, loadConfig, mergeConfigs, parseExperimentSpec, setPath, type LoadedConfig } from './config/load-config.js';
export { configJsonSchemaPath, createConfigJsonSchema, formatConfigJsonSchema, type JsonSchema } from './config/config-json-schema.js';
export { loadOutsidePlugins } from './config/load-outside-plugins.js';
export { describePlugin, isPluginFile, pluginSpecifierProblem } from './config/plugin-specifier.js';
export { pluginChoiceKinds, pluginChoiceOf, pluginChoiceSchema, type PluginChoiceConfig } from './config/plugin-choice.js';
export { builtinBackendProviders } from './backend-providers.js';
export { experimentModule } from './di/experiment-module.js';
export { createRootContainer, type RootContainerOptions } from './di/root-container.js';
export { pluginRegistriesByKind, registeredPlugins } from './di/registered-plugins.js';
export { resolve } from './di/resolve.js';
export { specRegistries, validateSpecPlugins, type SpecRegistries, type ValidateSpecOptions } from './di/validate-spec.js';
export { datasetFileProblems } from './di/dataset-file-problems.js';
export { summarizeRow, type ClassSummary } from './evaluation/summarize-row.js';
export { ExperimentRunner, type ArmEvaluation, type ArmRun } from './experiment-runner.js';
export { formatArm, formatComparison } from './results/format-comparison.js';
export {
  createLineReporter,
  isMilestone,
  progressLine,
  reportProgress,
  silentReporter,
  type ProgressEvent,
  type ProgressReporter,
} from './progress/progress-reporter.js';
export { loadModelWeights, saveModelWeights } from './results/model-weights.js';
export { collectPackageVersions, collectVersions, type PackageVersions } from './results/versions.js';
// For `robustfair info` (the cli reaches datasets only through the runner).
export { inspectDataDirectories, type DataDirectoryStatus } from '@robustfair/datasets/node';
export { writeFileAtomic, writeJsonAtomic } from './results/write-json-atomic.js';
export { resumeArm, runExperiments } from './run-experiments.js';
export { armsOf } from './run/prepare.js';
export { teacherWarnings } from './run/teachers.js';
export { evaluateSavedModel, type EvaluationOutput, type SavedEvaluation, type SavedWeights } from './run/evaluate-saved-model.js';
export type { ArmManifest, ArmResult, ComparisonResult, RunOptions } from './run/run-types.js';
export { readArmManifest, readArmResult } from './results/arm-files.js';
export { acquireArmLock, ArmInUseError, armLockFileName, isProcessRunning, type ArmLock, type ArmLockOwner } from './results/arm-lock.js';
export { assertPathSegment, maxPathSegmentLength, pathSegmentProblem, toPathSegment } from './config/path-segment.js';
export { createCheckpointStore, hasResult, specHash } from './results/checkpoint-store.js';
export { exportArmWeights, type ExportedWeights } from './export-arm-weights.js';
export { defaultTeacherCacheDirectory, teacherCacheVariable } from './results/teacher-cache.js';
// For @robustfair/queue: a sweep's once-only stage, one arm away from it, and the comparison.
export { prepareSweep, writeSweepComparison, type PreparedSweep, type SweepComparison } from './run/sweep.js';
export { runArmJob } from './run/run-arm-job.js';
export { reuseFinishedArm } from './run/run-arm.js';
export { ArmInterruptedError } from './run/arm-interrupted-error.js';
export { redactUrlPasswords } from './results/redact-url-passwords.js';
export type { ArmControl, ArmFlags, ArmJob, TeacherRecord } from './run/run-types.js';
export type { SharedArmSettings } from './parallel/worker-protocol.js';
