import type { ClassVector } from '../json.js';
import type { PluginContext, PluginDescriptor } from '../plugin/plugin-descriptor.js';

/** Per-class counts of one evaluation (one attack, or the clean pass). */
export interface ClassCounts {
  readonly numClasses: number;
  /** Test samples per class. */
  readonly count: ClassVector;
  /** Correct predictions per class. */
  readonly correct: ClassVector;
}

/** A pure function of per-class counts (no tensors). */
export interface Metric {
  readonly id: string;
  readonly direction: 'higher-is-better' | 'lower-is-better';
  compute(counts: ClassCounts): number;
}

export type MetricPlugin<Options = unknown> = PluginDescriptor<'metric', Options, Metric, PluginContext>;
