import type { ClassVector, JsonValue } from '../json.js';
import type { PluginContext, PluginDescriptor } from '../plugin/plugin-descriptor.js';

/**
 * Per-class signals the loop can accumulate. Each is a per-class SUM over the epoch's samples
 * (decision 3: strategies derive means from `count` themselves).
 * - `natural-error` / `robust-error`: 1 when the clean / adversarial prediction is wrong.
 * - `boundary-error`: clean prediction right and adversarial wrong (FRL).
 * - `natural-loss` / `robust-loss`: the objective's unscaled per-sample terms.
 * - `natural-ce` / `robust-ce`: hard-label cross-entropy of the train-mode logits (ABSLD).
 * - `kappa`: the number of attack steps a sample stayed correctly classified (Fair-ARD, decision 3);
 *   needs an attack with `perturbWithTrace`.
 */
export type ClassSignal =
  | 'natural-error'
  | 'robust-error'
  | 'boundary-error'
  | 'natural-loss'
  | 'robust-loss'
  | 'natural-ce'
  | 'robust-ce'
  | 'kappa';

export interface ClassStatistics {
  /** 0-based epoch the statistics were gathered in. */
  readonly epoch: number;
  readonly split: 'train' | 'validation';
  /** Samples per class seen in the epoch. */
  readonly count: ClassVector;
  /** Per-class sums of each requested signal. */
  readonly sums: Readonly<Partial<Record<ClassSignal, ClassVector>>>;
}

/** How the loop reduces the weighted per-sample loss: mean over the batch, or / Σ weights (FRL). */
export type LossReduction = 'mean' | 'weight-normalised';

/**
 * Per-class knobs a strategy hands the loop once per epoch. An absent field is neutral:
 * weights 1, the base ε, temperatures 1.
 */
export interface ClassKnobs {
  /** CFA-CCM, FRL-remargin: per-class attack radius in input units. */
  readonly epsilon?: ClassVector;
  /** Multiplies the natural term (class re-weighting, FRL-reweight, CFA-CCR). */
  readonly naturalWeight?: ClassVector;
  /** Multiplies the robust term (class re-weighting, FRL, CFA-CCR, Fair-ARD). */
  readonly robustWeight?: ClassVector;
  /** Teacher temperatures (ABSLD; provisional until a second method needs it). */
  readonly temperature?: { readonly natural?: ClassVector; readonly adversarial?: ClassVector };
  readonly reduction?: LossReduction;
}

export interface StrategyContext {
  readonly numClasses: number;
  /** The run's base radius. */
  readonly epsilon: number;
  readonly epochs: number;
}

/** What a strategy needs the loop to compute for it, and on which split. */
export interface StrategyRequirements {
  readonly split: 'train' | 'validation';
  readonly signals: readonly ClassSignal[];
}

/**
 * A fairness method as data plus pure functions (Optax style). It never touches tensors.
 * `update` and `knobs` must be pure and must not mutate their inputs.
 */
export interface FairnessStrategy<State extends JsonValue = JsonValue> {
  readonly specificationVersion: 'v1';
  readonly id: string;
  readonly requires: StrategyRequirements;
  init(context: StrategyContext): State;
  /** Once per epoch, after it, with the statistics of that epoch. */
  update(state: State, statistics: ClassStatistics): State;
  /** Once per epoch, before it. */
  knobs(state: State): ClassKnobs;
}

export type FairnessStrategyPlugin<Options = unknown> = PluginDescriptor<
  'fairness-strategy',
  Options,
  FairnessStrategy,
  PluginContext
>;
