// An attack written outside robustfair's packages, against the public API only: a plugin
// descriptor (id, zod options, factory) whose attack honours the Attack contract of
// @robustfair/spec. The config names this file in `plugins`; nothing in any package changes.
import { inputUnits } from '@robustfair/core';
import { defineAttackPlugin } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';

/** Per-sample cross-entropy on the labels: the objective when the request brings none. */
function crossEntropy(logits, labels) {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]), tf.logSoftmax(logits)), 1)));
}

/**
 * Momentum iterative FGSM, L∞ (MI-FGSM; Dong et al., Boosting Adversarial Attacks with Momentum,
 * CVPR 2018). From x₀ = x and g₀ = 0, for t = 0 … steps − 1:
 *
 *   g ← decay · g + ∇ₓJ(xₜ, y) / ‖∇ₓJ(xₜ, y)‖₁        (the L1 norm of each sample's own gradient)
 *   xₜ₊₁ ← clip(xₜ + α · sign(g))                       (onto x ± ε, then the model's bounds)
 *
 * J is `request.objective`, else cross-entropy. ε is per sample (the request's `epsilon`) and
 * α = ε / steps, as in the paper, unless `stepSize` is given. A gradient that is zero everywhere
 * leaves its sample where it is.
 *
 * Ownership (the Attack contract): the result is a new tensor owned by the caller; the request's
 * tensors are neither mutated nor disposed; each step runs in a `tf.tidy` and the previous
 * iterate and momentum are disposed, so memory does not grow with `steps`.
 *
 * @param {{ steps?: number, decay?: number, stepSize?: number, modelMode?: 'eval' | 'train' }} [options]
 */
export function createMiFgsmAttack({ steps = 10, decay = 1, stepSize, modelMode = 'eval' } = {}) {
  return {
    specificationVersion: 'v1',
    id: 'mi-fgsm',
    norm: 'linf',
    perturb(request) {
      const { model, inputs, labels } = request;
      const batchSize = inputs.shape[0];
      if (request.epsilon.rank !== 1 || request.epsilon.shape[0] !== batchSize) {
        throw new RangeError(`mi-fgsm: epsilon must have shape [${batchSize}] (one radius per sample), got [${request.epsilon.shape.join(', ')}]`);
      }
      const objective = request.objective ?? crossEntropy;
      const training = modelMode === 'train';
      const [lower, upper] = model.bounds;
      // Per-sample radius as [batch, 1, 1, 1], the ε ball's faces, and the step size α.
      const { ballLower, ballUpper, alpha } = tf.tidy(() => {
        const epsilon = tf.reshape(request.epsilon, [batchSize, 1, 1, 1]);
        return {
          ballLower: tf.sub(inputs, epsilon),
          ballUpper: tf.add(inputs, epsilon),
          alpha: stepSize === undefined ? tf.div(epsilon, steps) : tf.scalar(stepSize),
        };
      });
      let adversarial = tf.clone(inputs);
      let momentum = tf.zerosLike(inputs);
      try {
        for (let step = 0; step < steps; step++) {
          const [nextAdversarial, nextMomentum] = tf.tidy(() => {
            // Gradient with respect to the input only: the model's weights get none.
            const gradient = tf.grad((x) => tf.sum(objective(model.logits(x, { training }), labels)))(adversarial);
            const l1 = tf.sum(tf.abs(gradient), [1, 2, 3], true);
            const velocity = tf.add(tf.mul(momentum, decay), tf.div(gradient, tf.maximum(l1, 1e-12)));
            const stepped = tf.add(adversarial, tf.mul(alpha, tf.sign(velocity)));
            const projected = tf.clipByValue(tf.minimum(tf.maximum(stepped, ballLower), ballUpper), lower, upper);
            return [projected, velocity];
          });
          tf.dispose([adversarial, momentum]);
          adversarial = nextAdversarial;
          momentum = nextMomentum;
        }
      } catch (error) {
        adversarial.dispose();
        throw error;
      } finally {
        tf.dispose([momentum, ballLower, ballUpper, alpha]);
      }
      return adversarial;
    },
  };
}

/** MI-FGSM options as written in a config: unknown fields are rejected, missing ones get defaults. */
export const miFgsmOptionsSchema = z.strictObject({
  /** Iterations (the paper uses 10). */
  steps: z.number().int().min(1).default(10),
  /** μ, the momentum decay (the paper uses 1; 0 gives plain iterative FGSM). */
  decay: z.number().min(0).default(1),
  /** α in input units ("2/255" or 0.0078…); default ε / steps per sample. */
  stepSize: inputUnits().optional(),
  /** Batch-norm mode of the attacked model: eval leaves running statistics untouched. */
  modelMode: z.enum(['eval', 'train']).default('eval'),
});

export const miFgsmPlugin = defineAttackPlugin({
  kind: 'attack',
  id: 'mi-fgsm',
  specificationVersion: 'v1',
  summary: 'Momentum iterative FGSM (L∞): signed steps along an accumulated, L1-normalised gradient.',
  reference: { title: 'Dong et al., Boosting Adversarial Attacks with Momentum (CVPR)', year: 2018, url: 'https://arxiv.org/abs/1710.06081' },
  optionsSchema: miFgsmOptionsSchema,
  create: (options) => createMiFgsmAttack(options),
});

// What the runner loads: an array of plugin descriptors.
export default [miFgsmPlugin];
