import { deriveSeed } from '@robustfair/core';
import type { Attack, AttackProgress, AttackRequest } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { misclassified } from '../iterative/objective-gradient.js';

/** Per-sample outcome of a cascade: which stage broke each sample (-1: still robust, -2: wrong on clean input). */
export interface CascadeResult {
  readonly adversarial: tf.Tensor4D;
  /** Index of the stage that broke the sample; −1 when robust to all, −2 when misclassified clean. */
  readonly brokenBy: readonly number[];
}

/**
 * AutoAttack's orchestration (docs/methods/autoattack.md): clean predictions first; then each attack in order
 * runs only on the points still robust, and a point stops being robust once an attack returns
 * an input the model misclassifies (that input is kept). Robust points keep their clean input.
 *
 * Reads back one [batch] flag vector per stage: the subset of still-robust points must be known
 * on the CPU to gather it, and skipping the broken points is what makes the cascade cheap. This
 * is an evaluation-only attack, so the read-back rule of training (HOUSE-STYLE B7.7) does not bind.
 * `request.objective`, when given, goes to the first stage only (APGD-CE's slot).
 */
export function runCascade(request: AttackRequest, stages: readonly Attack[], label: string): CascadeResult {
  const { model, inputs, labels, epsilon } = request;
  const batch = inputs.shape[0];
  const cleanWrong = tf.tidy(() => misclassified(model.logits(inputs, { training: false }), labels));
  const brokenBy: number[] = Array.from(cleanWrong.dataSync(), (wrong) => (wrong ? -2 : -1));
  cleanWrong.dispose();
  let adversarial = tf.clone(inputs);
  const { onProgress } = request;
  // e.g. `autoattack-standard stage 2/4 apgd-t (37 robust)`: which stage, and on how many of the batch's points
  const prefix = (stage: number, robust: number) => `${label} stage ${stage + 1}/${stages.length} ${stages[stage]?.id ?? ''} (${robust} robust)`;
  for (const [stage, attack] of stages.entries()) {
    const robust = brokenBy.flatMap((state, index) => (state === -1 ? [index] : []));
    if (robust.length === 0) break;
    const indices = tf.tensor1d(robust, 'int32');
    const subset = tf.tidy(() => ({
      inputs: tf.gather(inputs, indices) as tf.Tensor4D,
      labels: tf.gather(labels, indices) as tf.Tensor1D,
      epsilon: tf.gather(epsilon, indices) as tf.Tensor1D,
    }));
    try {
      const stageRequest: AttackRequest = {
        model,
        ...subset,
        seed: deriveSeed(request.seed, label, attack.id, stage),
        ...(stage === 0 && request.objective !== undefined ? { objective: request.objective } : {}),
        ...(onProgress && { onProgress: ({ step }: AttackProgress) => onProgress({ step: `${prefix(stage, robust.length)}: ${step}` }) }),
      };
      const candidate = attack.perturb(stageRequest);
      const fooled = tf.tidy(() => misclassified(model.logits(candidate, { training: false }), subset.labels));
      const fooledFlags = Array.from(fooled.dataSync());
      fooled.dispose();
      if (fooledFlags.some(Boolean)) {
        const previous = adversarial;
        adversarial = tf.tidy(() => {
          const scattered = tf.scatterND(tf.reshape(indices, [-1, 1]), candidate, inputs.shape);
          const mask = new Array<boolean>(batch).fill(false);
          fooledFlags.forEach((flag, position) => {
            if (flag) mask[robust[position] ?? 0] = true;
          });
          return tf.where(tf.reshape(tf.tensor1d(mask, 'bool'), [batch, 1, 1, 1]), scattered, previous) as tf.Tensor4D;
        });
        previous.dispose();
        fooledFlags.forEach((flag, position) => {
          if (flag) brokenBy[robust[position] ?? 0] = stage;
        });
      }
      candidate.dispose();
      onProgress?.({ step: `${prefix(stage, robust.length)} done` });
    } finally {
      tf.dispose([indices, subset.inputs, subset.labels, subset.epsilon]);
    }
  }
  return { adversarial, brokenBy };
}
