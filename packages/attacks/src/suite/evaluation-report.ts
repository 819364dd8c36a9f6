import type { ConfidenceInterval, WorstClass } from '@robustfair/metrics';
import type { ClassCounts, ClassVector, JsonValue, Split } from '@robustfair/spec';
import type { ThreatModel } from '../presets/attack-presets.js';

// Row ids of the clean pass and of the per-sample worst case: part of the results format, so
// they live with its schema in @robustfair/spec; re-exported here, where the suite makes the rows.
export { cleanRowId, worstCaseRowId } from '@robustfair/spec';

/** The Table-1 numbers of one row (the clean pass, one attack, or the worst case). */
export interface EvaluationRow {
  /** `clean`, an attack id, or `worst-case`. */
  readonly id: string;
  readonly counts: ClassCounts;
  /** A_c per class, index = class id. */
  readonly classAccuracy: readonly number[];
  /** Σ correct / Σ count ("Avg"). */
  readonly average: number;
  /** min_c A_c and its class ("Worst"). */
  readonly worstClass: WorstClass;
  /** std_c(A_c) / mean_c(A_c) ("NSD"); NaN (null in JSON) when every class is at 0. */
  readonly nsd: number;
  /** Percentile bootstrap interval of the worst-class accuracy (stratified by class, seeded). */
  readonly worstClassInterval: ConfidenceInterval;
}

/** Which sanity check raised a flag (AutoAttack's `checks.py` in spirit). */
export type SanityFlagId = 'zero-gradients' | 'softmax-outputs' | 'black-box-stronger' | 'randomized-model';

/** A warning that the evaluation may be unreliable, with the numbers behind it. */
export interface SanityFlag {
  readonly id: SanityFlagId;
  readonly message: string;
  readonly details: { readonly [key: string]: JsonValue };
}

/** What one attack of the suite was, as results record it. */
export interface EvaluatedAttack {
  readonly id: string;
  readonly plugin?: string;
  readonly options?: JsonValue;
  readonly threatModel: ThreatModel;
  readonly norm: 'linf' | 'l2';
}

/** Everything an evaluation produced: protocol, per-row numbers, per-sample flags and sanity flags. */
export interface EvaluationReport {
  readonly schemaVersion: 1;
  readonly dataset: string;
  readonly split: Split;
  readonly numClasses: number;
  readonly classNames?: readonly string[];
  readonly samples: number;
  readonly epsilon: number | ClassVector;
  readonly seed: number;
  readonly batchSize: number;
  readonly attacks: readonly EvaluatedAttack[];
  /** `clean`, each attack in order, then `worst-case` (when there is at least one attack). */
  readonly rows: readonly EvaluationRow[];
  /** Per-sample results in dataset order (unshuffled): every aggregate above derives from these. */
  readonly perSample: {
    readonly labels: readonly number[];
    /** Row id → correct (true) or not, per sample (per sample of its subset, for a subset row). */
    readonly correct: { readonly [rowId: string]: readonly boolean[] };
    /** Rows of attacks run on a per-class subset (`perClass`): the sample indices their flags belong to. */
    readonly subsets?: { readonly [rowId: string]: readonly number[] };
  };
  readonly flags: readonly SanityFlag[];
}
