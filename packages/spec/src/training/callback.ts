import type { ClassKnobs, ClassStatistics } from '../fairness/fairness-strategy.js';
import type { JsonValue } from '../json.js';
import type { PluginContext, PluginDescriptor } from '../plugin/plugin-descriptor.js';

/** Lets a callback steer the loop (HF TrainerControl): only stopping, for now. */
export interface TrainingControl {
  stop(reason: string): void;
}

/** What one epoch did, in plain numbers (results record one per epoch). */
export interface EpochRecord {
  readonly epoch: number;
  readonly learningRate: number;
  /** The knobs the epoch trained with (the strategy's, before its update). */
  readonly knobs: ClassKnobs;
  /** Training-set per-class sums (strategy signals and `recordSignals`). */
  readonly statistics: ClassStatistics;
  /** What the strategy was updated with, when it differs from `statistics` (validation split). */
  readonly strategyStatistics?: ClassStatistics;
  /** Strategy state after this epoch's update. */
  readonly strategyState: JsonValue;
  readonly meanLoss: number;
  readonly seconds: number;
}

export interface EpochStartEvent {
  readonly epoch: number;
  readonly epochs: number;
  readonly knobs: ClassKnobs;
  readonly learningRate: number;
}

export interface BatchEndEvent {
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  /** Present on log steps only: reading the loss back costs a device sync. */
  readonly loss?: number;
}

export interface EpochEndEvent {
  readonly epoch: number;
  readonly epochs: number;
  readonly statistics: ClassStatistics;
  /** Mean training loss of the epoch and other scalars. */
  readonly metrics: Readonly<Record<string, number>>;
  /** The strategy state after `update` (JSON). */
  readonly strategyState: JsonValue;
  readonly seconds: number;
  /** The epoch's whole record, its knobs and learning rate included (what results keep). */
  readonly record: EpochRecord;
}

/** Observes training; receives numbers only, never tensors. */
export interface TrainingCallback {
  readonly id: string;
  onEpochStart?(event: EpochStartEvent): void | Promise<void>;
  onBatchEnd?(event: BatchEndEvent): void | Promise<void>;
  onEpochEnd?(event: EpochEndEvent, control: TrainingControl): void | Promise<void>;
  /**
   * Once, after the last epoch (also when a callback or a non-finite loss stopped training),
   * before the final evaluation; callbacks run in order, so a later one's weights win.
   */
  onTrainEnd?(): void | Promise<void>;
  /** JSON saved with every checkpoint under the callback's id, and handed to `restore` on resume. */
  state?(): JsonValue;
  restore?(state: JsonValue): void;
}

/** A copy of every weight of the model (`namedVariables()` order, batch-norm statistics included). */
export type WeightSnapshot = readonly Float32Array[];

/**
 * The narrow weight service of callbacks that choose or average weights (decision 7: FAWA, EMA,
 * checkpoint selection): copies of the student's weights as plain numbers, and writing one back.
 */
export interface WeightSnapshots {
  capture(): Promise<Float32Array[]>;
  restore(snapshot: WeightSnapshot): void;
}

/** Robust accuracy of the student measured during training, from per-class counts. */
export interface RobustAccuracy {
  /** Over every sample of the split. */
  readonly average: number;
  /** Of the class with the lowest robust accuracy (classes without samples left out). */
  readonly worstClass: number;
}

/** Measures the student's robust accuracy on a held-out split under one attack, model in eval mode. */
export interface RobustAccuracyProbe {
  /** The attack's name (a preset id or the name given in the config). */
  readonly attack: string;
  /** `purpose` names the measurement in progress events (e.g. 'selection'). */
  measure(request: { readonly split: 'validation' | 'test'; readonly epoch: number; readonly purpose: string }): Promise<RobustAccuracy>;
}

/** What a callback plugin's factory receives: the arm's seed, its weights and a robustness probe. */
export interface CallbackContext extends PluginContext {
  readonly weights: WeightSnapshots;
  /**
   * A probe under an evaluation attack as a config writes one (a preset id such as `"pgd20"`, a
   * preset with overrides, or `{ name, attack: { id, options } }`); `role` seeds its randomness.
   */
  robustAccuracyProbe(attack: unknown, role: string): RobustAccuracyProbe;
}

export type CallbackPlugin<Options = unknown> = PluginDescriptor<'callback', Options, TrainingCallback, CallbackContext>;
