import type { ClassKnobs, ClassStatistics } from '../fairness/fairness-strategy.js';
import type { JsonValue } from '../json.js';
import type { PluginContext, PluginDescriptor } from '../plugin/plugin-descriptor.js';

/** Lets a callback steer the loop (HF TrainerControl): only stopping, for now. */
export interface TrainingControl {
  stop(reason: string): void;
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
}

/** Observes training; receives numbers only, never tensors. */
export interface TrainingCallback {
  readonly id: string;
  onEpochStart?(event: EpochStartEvent): void | Promise<void>;
  onBatchEnd?(event: BatchEndEvent): void | Promise<void>;
  onEpochEnd?(event: EpochEndEvent, control: TrainingControl): void | Promise<void>;
  state?(): JsonValue;
  restore?(state: JsonValue): void;
}

export type CallbackPlugin<Options = unknown> = PluginDescriptor<'callback', Options, TrainingCallback, PluginContext>;
