import type * as tf from '@tensorflow/tfjs-core';
import type { Split } from '../json.js';
import type { PluginContext, PluginDescriptor } from '../plugin/plugin-descriptor.js';

/** One batch; `labels` are int32 class ids. The consumer owns both tensors. */
export interface Batch {
  readonly inputs: tf.Tensor4D;
  readonly labels: tf.Tensor1D;
}

export interface BatchOptions {
  readonly batchSize: number;
  readonly shuffle: boolean;
  /** Same seed, same order and (train split) the same augmentation. */
  readonly seed: number;
}

/** A labelled image dataset in pixel space [0, 1], NHWC. */
export interface Dataset {
  readonly specificationVersion: 'v1';
  readonly id: string;
  readonly numClasses: number;
  readonly classNames?: readonly string[];
  readonly inputShape: readonly [height: number, width: number, channels: number];
  size(split: Split): number;
  /** Labels of a split in index order (plain numbers, for per-class bookkeeping and splits). */
  labels(split: Split): readonly number[];
  /** The consumer owns every yielded batch and must dispose it. Same seed, same order. */
  batches(split: Split, options: BatchOptions): AsyncIterable<Batch>;
}

/**
 * A dataset descriptor. `create` is synchronous; a dataset that must fetch files first (the
 * CIFAR downloads) does so in `prepare`, which the runner awaits before any `create`.
 */
export type DatasetPlugin<Options = unknown> = PluginDescriptor<'dataset', Options, Dataset, PluginContext> & {
  prepare?(options: Options): Promise<void>;
  /**
   * What would stop `prepare` + `create` for want of files (no data directory, missing files),
   * found without reading the data; each line says what is missing and how to get it. Empty
   * when the files are there or `prepare` would fetch them. `robustfair validate` prints these.
   */
  checkFiles?(options: Options): readonly string[];
};
