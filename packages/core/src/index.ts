export { deriveSeed } from './random/derive-seed.js';
export { createSeededRandom, type SeededRandom } from './random/seeded-random.js';
export { describeIssues, parseOptions } from './options/parse-options.js';
export { inputUnits } from './options/input-units.js';
export {
  createPluginRegistry,
  instantiatePlugin,
  type Instantiated,
  type PluginChoice,
} from './registry/plugin-registry.js';
export { crossEntropyPerSample, errorIndicator, klDivergencePerSample } from './tensor/losses.js';
export { disposeAll } from './tensor/memory.js';
export { captureModelWeights, restoreModelWeights } from './tensor/model-weights.js';
export { parseRunFile, validateRunFile } from './results/parse-run-file.js';
export { assignWeightsFiles, weightsManifestSchema, type WeightsFiles, type WeightsManifest } from './results/weights-files.js';
export { cpuBackendProvider } from './backend/cpu-backend-provider.js';
export { registerGradients } from './backend/register-gradients.js';
export { silenceCpuBackendBanner } from './backend/quiet-cpu-backend.js';
export {
  backendIds,
  selectBackend,
  type BackendChoice,
  type BackendSelection,
  type BackendThreadsStatus,
  type SelectableBackendProvider,
} from './backend/select-backend.js';
export {
  batchNormTrainingGradKernelName,
  batchNormTrainingKernelName,
  sgdMomentumStepKernelName,
  type BatchNormTrainingAttrs,
  type BatchNormTrainingGradInputs,
  type BatchNormTrainingInputs,
  type SgdMomentumStepAttrs,
  type SgdMomentumStepInputs,
} from './kernels/kernel-names.js';
export { createClassAccumulator, type AccumulatedStatistics, type ClassAccumulator } from './statistics/class-accumulator.js';
export { fit, type EpochRecord, type FitCheckpoint, type FitOptions, type FitResult } from './training/fit.js';
export { evaluateClassStatistics, type EvaluateClassStatisticsOptions } from './training/evaluate-class-statistics.js';
export { learningRateAt, learningRateScheduleSchema, type LearningRateSchedule } from './training/learning-rate-schedule.js';
export { createSgdOptimizer, sgdOptionsSchema, type SgdOptimizer, type SgdOptions } from './training/sgd.js';
export { perSampleSignals, type SignalSources } from './training/per-sample-signals.js';
export { uploadKnobs, type KnobTensors } from './training/knob-tensors.js';
export { batchNormTraining, type BatchNormTrainingResult } from './ops/batch-norm-training.js';
export { channelSum } from './ops/channel-sum.js';
