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
  /**
   * 0-based epoch the statistics were gathered in; −1 for the validation pass on the initial
   * model, before the first epoch (`requires.validation.beforeTraining`).
   */
  readonly epoch: number;
  readonly split: 'train' | 'validation';
  /** Samples per class seen in the epoch. */
  readonly count: ClassVector;
  /** Per-class sums of each requested signal. */
  readonly sums: Readonly<Partial<Record<ClassSignal, ClassVector>>>;
}

/**
 * How the loop reduces the weighted per-sample loss, with n_i, r_i the natural and robust terms,
 * a_i, b_i their class weights and c_n, c_r the objective's coefficients:
 * - `'mean'`: Σ_i (c_n·a_i·n_i + c_r·b_i·r_i) / B;
 * - `'weight-normalised'`: c_n·Σ a_i·n_i / Σ a_i + c_r·Σ b_i·r_i / Σ b_i (FRL-Reweight);
 * - `'joint-weight-normalised'`: Σ_i (c_n·a_i·n_i + c_r·b_i·r_i) / Σ_i (a_i + b_i), one
 *   denominator for both terms (FRL-Remargin).
 */
export type LossReduction = 'mean' | 'weight-normalised' | 'joint-weight-normalised';

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
  /**
   * The 0-based epochs at which the run's learning rate drops (a `multistep` schedule's
   * milestones: the rate of epoch e is base · factor^#{m ≤ e}); empty for a constant or cosine
   * schedule. Absent when the caller does not say (treat as empty).
   */
  readonly learningRateMilestones?: readonly number[];
}

/**
 * How the loop attacks the validation split for a strategy that reads it. Every field is
 * optional; absent fields keep the defaults named on each.
 */
export interface ValidationRequirements {
  /**
   * One radius (input units) for every class. Absent: the epoch's per-class `knobs.epsilon`, or
   * the run's base ε when the strategy sets none.
   */
  readonly epsilon?: number;
  /**
   * The validation attack, as an evaluation-attack preset with overrides that the runner resolves
   * (e.g. `{ preset: 'pgd20' }`). Absent: the arm's training attack. A caller of `fit()` passes
   * the matching attack in `FitOptions.validation.attack` itself.
   */
  readonly attack?: { readonly preset: string; readonly overrides?: Readonly<Record<string, JsonValue>> };
  /**
   * Run one validation pass and `update` on the initial model before the first epoch (FRL's
   * update on the hot-start model), with `statistics.epoch = −1`. Default false.
   */
  readonly beforeTraining?: boolean;
}

/** What a strategy needs the loop to compute for it, and on which split. */
export interface StrategyRequirements {
  readonly split: 'train' | 'validation';
  readonly signals: readonly ClassSignal[];
  /** For `split: 'validation'`: how that split is attacked (see {@link ValidationRequirements}). */
  readonly validation?: ValidationRequirements;
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
