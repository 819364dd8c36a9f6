import type * as tf from '@tensorflow/tfjs-core';
import type { PluginContext, PluginDescriptor } from '../plugin/plugin-descriptor.js';

/** A named weight of a model, for checkpoints and parameter counts. */
export interface NamedVariable {
  readonly name: string;
  readonly variable: tf.Variable;
  /** false for batch-norm running statistics, which SGD must not touch. */
  readonly trainable: boolean;
}

/**
 * A classifier over images in pixel space (`bounds`, usually [0, 1]). Input normalisation, if
 * any, happens inside the model so that attacks stay in pixel space.
 */
export interface Model {
  readonly numClasses: number;
  readonly inputShape: readonly [height: number, width: number, channels: number];
  /** Attacks clip to this box. */
  readonly bounds: readonly [lower: number, upper: number];
  /**
   * Forward pass; returns a new tensor owned by the caller. `training: true` uses batch
   * statistics and updates batch-norm running statistics (PyTorch `train()`); `false` uses and
   * leaves the running statistics untouched (PyTorch `eval()`).
   */
  logits(inputs: tf.Tensor4D, options: { readonly training: boolean }): tf.Tensor2D;
  /** The variables SGD updates, in a stable order. */
  trainableVariables(): readonly tf.Variable[];
  /** Every variable with a stable name, trainable or not. */
  namedVariables(): readonly NamedVariable[];
  dispose(): void;
}

export interface ModelContext extends PluginContext {
  readonly numClasses: number;
  readonly inputShape: readonly [number, number, number];
}

export type ModelPlugin<Options = unknown> = PluginDescriptor<'model', Options, Model, ModelContext>;
