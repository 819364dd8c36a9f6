import type { Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyObjective } from '../objectives/cross-entropy-objective.js';
import type { EvaluatedAttack, SanityFlag } from './evaluation-report.js';

/** Tolerance of the softmax check: rows summing to 1 within this are probabilities. */
const softmaxTolerance = 1e-5;
/** A per-sample gradient with an L1 norm below this counts as zero (AutoAttack `check_zero_gradients`). */
const zeroGradientThreshold = 1e-10;

/**
 * Checks on one clean batch that a gradient-based evaluation can trust the model, as AutoAttack's
 * `checks.py` does: the model is deterministic (two clean passes agree; otherwise use
 * `aa-rand`), returns logits rather than probabilities (rows in [0, 1] summing to 1 squash the
 * gradients), and has a non-zero input gradient of the cross-entropy for every sample (zero
 * gradients mean masking, e.g. a quantisation step). Reads back a few numbers; evaluation only.
 */
export function checkModelOnBatch(model: Model, inputs: tf.Tensor4D, labels: tf.Tensor1D): SanityFlag[] {
  const flags: SanityFlag[] = [];
  const measured = tf.tidy(() => {
    const first = model.logits(inputs, { training: false });
    const second = model.logits(inputs, { training: false });
    const rowSums = tf.sum(first, 1);
    const gradient = tf.grad((x: tf.Tensor) => tf.sum(crossEntropyObjective(model.logits(x as tf.Tensor4D, { training: false }), labels)))(inputs);
    const gradientNorms = tf.sum(tf.abs(tf.reshape(gradient, [inputs.shape[0], -1])), 1);
    return {
      difference: tf.max(tf.abs(tf.sub(first, second))),
      minimum: tf.min(first),
      maximum: tf.max(first),
      sumError: tf.max(tf.abs(tf.sub(rowSums, 1))),
      zeroGradients: tf.sum(tf.cast(tf.less(gradientNorms, zeroGradientThreshold), 'int32')),
    };
  });
  const [difference, minimum, maximum, sumError, zeroGradients] = [
    measured.difference,
    measured.minimum,
    measured.maximum,
    measured.sumError,
    measured.zeroGradients,
  ].map((tensor) => tensor.dataSync()[0] ?? Number.NaN) as [number, number, number, number, number];
  tf.dispose(Object.values(measured));
  const batch = inputs.shape[0];
  if (difference > 0) {
    flags.push({
      id: 'randomized-model',
      message: `two clean passes differ (max |Δ logit| = ${difference}): the model is randomised; use the 'aa-rand' preset (EoT) and report it`,
      details: { maxLogitDifference: difference },
    });
  }
  if (minimum >= 0 && maximum <= 1 && sumError <= softmaxTolerance) {
    flags.push({
      id: 'softmax-outputs',
      message: 'the model outputs look like probabilities (rows in [0, 1] summing to 1); attacks need logits',
      details: { maxRowSumError: sumError },
    });
  }
  if (zeroGradients > 0) {
    flags.push({
      id: 'zero-gradients',
      message: `${zeroGradients} of ${batch} samples have a zero input gradient: gradient-based attacks cannot move them (gradient masking?)`,
      details: { samples: zeroGradients, batch },
    });
  }
  return flags;
}

/**
 * AutoAttack's `check_square_sr` generalised: a score-based (black-box) attack should never be
 * stronger than the gradient-based ones; when its accuracy is below every white-box attack's,
 * the gradients are likely masked. Also counts the samples only the black-box attack broke.
 * Ensembles (AutoAttack, which contains Square) are not compared.
 */
export function checkBlackBoxStronger(
  attacks: readonly EvaluatedAttack[],
  correct: { readonly [rowId: string]: readonly boolean[] },
): SanityFlag[] {
  const whiteBox = attacks.filter((attack) => attack.threatModel === 'white-box');
  if (whiteBox.length === 0) return [];
  const accuracy = (id: string) => {
    const flags = correct[id] ?? [];
    return flags.filter(Boolean).length / Math.max(flags.length, 1);
  };
  const bestWhiteBox = Math.min(...whiteBox.map((attack) => accuracy(attack.id)));
  return attacks
    .filter((attack) => attack.threatModel === 'black-box' && accuracy(attack.id) < bestWhiteBox)
    .map((attack) => {
      const flags = correct[attack.id] ?? [];
      const onlyBlackBox = flags.filter((isCorrect, index) => !isCorrect && whiteBox.every((other) => correct[other.id]?.[index] === true)).length;
      return {
        id: 'black-box-stronger' as const,
        message: `black-box '${attack.id}' (accuracy ${accuracy(attack.id)}) beats every white-box attack (best ${bestWhiteBox}): gradients are likely masked`,
        details: { attack: attack.id, accuracy: accuracy(attack.id), bestWhiteBoxAccuracy: bestWhiteBox, samplesOnlyBlackBoxBroke: onlyBlackBox },
      };
    });
}
