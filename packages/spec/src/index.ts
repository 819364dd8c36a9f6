// @robustfair/spec: contracts only. Types, DI tokens (symbols, no inversify), error classes.
export type { ClassVector, JsonValue, Split } from './json.js';

export { token, type Token } from './plugin/token.js';
export type {
  AnyPluginDescriptor,
  PluginContext,
  PluginDescriptor,
  PluginKind,
  PluginReference,
} from './plugin/plugin-descriptor.js';
export type { PluginRegistry } from './plugin/plugin-registry.js';
export { pluginKindEntry, pluginKinds, type PluginKindEntry } from './plugin/plugin-kinds.js';
export {
  defineAttackPlugin,
  defineCallbackPlugin,
  defineDatasetPlugin,
  defineDistillerPlugin,
  defineFairnessStrategyPlugin,
  defineMetricPlugin,
  defineModelPlugin,
  defineObjectivePlugin,
} from './plugin/define-plugin.js';

export type { BackendId, BackendProvider } from './backend/backend-provider.js';

export type { Model, ModelContext, NamedVariable } from './model/model.js';
export { ModelPlugin, ModelRegistry, StudentModel } from './model/tokens.js';

export type { Batch, BatchOptions } from './dataset/dataset.js';
export { Dataset, DatasetPlugin, DatasetRegistry } from './dataset/tokens.js';

export type { Attack, AttackInit, AttackObjective, AttackProgress, AttackRequest, AttackTrace, ModelMode } from './attack/attack.js';
export { AttackPlugin, AttackRegistry, TrainingAttack } from './attack/tokens.js';

export type { ForwardOrder, LossCoefficients, LossInput, LossTerms } from './training/loss.js';
export type {
  BatchEndEvent,
  CallbackContext,
  EpochEndEvent,
  EpochRecord,
  EpochStartEvent,
  RobustAccuracy,
  RobustAccuracyProbe,
  TrainingCallback,
  TrainingControl,
  WeightSnapshot,
  WeightSnapshots,
} from './training/callback.js';
export {
  CallbackPlugin,
  CallbackRegistry,
  ObjectivePlugin,
  ObjectiveRegistry,
  TrainingObjective,
} from './training/tokens.js';

export type { DistillationInput, SampleTemperatures } from './distiller/distiller.js';
export { Distiller, DistillerPlugin, DistillerRegistry } from './distiller/tokens.js';

export type {
  ClassKnobs,
  ClassSignal,
  ClassStatistics,
  LossReduction,
  StrategyContext,
  StrategyRequirements,
  ValidationRequirements,
} from './fairness/fairness-strategy.js';
export { FairnessStrategy, FairnessStrategyPlugin, FairnessStrategyRegistry } from './fairness/tokens.js';

export type { ClassCounts, Metric } from './metric/metric.js';
export { MetricPlugin, MetricRegistry } from './metric/tokens.js';

export { RobustfairError } from './errors/robustfair-error.js';
export {
  DuplicatePluginError,
  IncompatiblePluginsError,
  InvalidOptionsError,
  NoSuchPluginError,
  type OptionsIssue,
} from './errors/plugin-errors.js';
export { BackendUnavailableError, DatasetError, RunFileError, TensorLeakError, TrainingDivergedError, type Divergence } from './errors/runtime-errors.js';

// The results format (result.json, spec.json, epochs.jsonl, evaluation.json, comparison.json):
// one schema for the runner, which writes it, and the report, which reads it.
export {
  classCountsSchema,
  classNumbersSchema,
  cleanRowId,
  jsonObjectSchema,
  jsonValueSchema,
  resultNumberSchema,
  worstCaseRowId,
  type ResultFileInput,
  type ResultFileOutput,
} from './results/result-values.js';
export {
  armEvaluationFileSchema,
  classSummaryFileSchema,
  confidenceIntervalFileSchema,
  evaluationFileSchema,
  evaluationRowFileSchema,
  sanityFlagFileSchema,
} from './results/evaluation-files.js';
export { classKnobsFileSchema, classStatisticsFileSchema, epochLogLineSchema, epochRecordFileSchema } from './results/epoch-files.js';
export {
  armManifestFileSchema,
  armResultFileSchema,
  armTrainingFileSchema,
  comparisonFileSchema,
  specHashFileSchema,
  teacherRecordFileSchema,
} from './results/run-files.js';
export type {
  ArmEvaluationFile,
  ArmManifestFile,
  ArmResultFile,
  ClassSummaryFile,
  ComparisonFile,
  EpochLogLine,
  EpochRecordFile,
  EvaluationFile,
} from './results/result-file-types.js';
