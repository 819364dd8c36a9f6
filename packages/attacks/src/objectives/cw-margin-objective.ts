import type { AttackObjective } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { classificationMargin } from './rank-selectors.js';

/** Options of {@link createCwMarginObjective}. */
export interface CwMarginObjectiveOptions {
  /** κ, the margin beyond which the loss stops pushing (default 0; the `cw` preset uses 50, docs/methods/evaluation.md). */
  readonly confidence?: number;
}

/**
 * The Carlini-Wagner margin objective used by CW∞ evaluations (docs/methods/evaluation.md, Fair-ARD `eval.py`):
 * per sample −max(z_y − max_{j≠y} z_j + κ, 0). Maximising it drives the label's logit below the
 * best other one by κ; the clamp stops the push once that is reached. Returns a new [batch] tensor.
 */
export function createCwMarginObjective(options: CwMarginObjectiveOptions = {}): AttackObjective {
  const confidence = options.confidence ?? 0;
  if (!(confidence >= 0)) throw new RangeError(`cw-margin: confidence (κ) must be ≥ 0, got ${confidence}`);
  return (logits, labels) =>
    tf.tidy(() => tf.neg(tf.relu(tf.add(classificationMargin(logits, labels), confidence))) as tf.Tensor1D);
}
