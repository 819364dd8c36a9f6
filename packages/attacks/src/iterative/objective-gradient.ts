import type { AttackObjective, Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';

/** What {@link objectiveGradient} needs; tensors are borrowed. */
export interface ObjectiveGradientContext {
  readonly model: Model;
  readonly labels: tf.Tensor1D;
  readonly objective: AttackObjective;
  readonly training: boolean;
  /**
   * Expectation over transformation (EoT): the loss and the gradient are averaged over this many
   * forward passes, for randomised models (AutoAttack `rand`, docs/methods/autoattack.md). Default 1.
   */
  readonly eotIterations?: number;
}

/** Per-sample objective, its input gradient and the logits of the last forward pass; all owned by the caller. */
export interface ObjectiveGradient {
  readonly loss: tf.Tensor1D;
  readonly gradient: tf.Tensor4D;
  readonly logits: tf.Tensor2D;
}

/**
 * One (or `eotIterations`) forward and backward pass(es) at `point`: the gradient of
 * Σ_i objective_i with respect to the input only (no weight gradient is requested, so the tape
 * never differentiates into the variables). Samples are independent in eval mode, so the
 * gradient of the sum is each sample's own gradient. The per-sample loss and the logits are
 * kept from the same pass, which saves a second forward.
 */
export function objectiveGradient(point: tf.Tensor4D, context: ObjectiveGradientContext): ObjectiveGradient {
  const passes = context.eotIterations ?? 1;
  let loss: tf.Tensor1D | undefined;
  let gradient: tf.Tensor4D | undefined;
  let logits: tf.Tensor2D | undefined;
  for (let pass = 0; pass < passes; pass++) {
    let passLoss: tf.Tensor1D | undefined;
    let passLogits: tf.Tensor2D | undefined;
    const passGradient = tf.tidy(() =>
      tf.grad((candidate: tf.Tensor) => {
        const outputs = context.model.logits(candidate as tf.Tensor4D, { training: context.training });
        const values = context.objective(outputs, context.labels);
        // keep() lets both survive the gradient's internal scope; they are disposed below or by the caller.
        passLogits = tf.keep(outputs);
        passLoss = tf.keep(values);
        return tf.sum(values);
      })(point),
    ) as tf.Tensor4D;
    const stepLoss = passLoss as unknown as tf.Tensor1D;
    const stepLogits = passLogits as unknown as tf.Tensor2D;
    if (loss === undefined || gradient === undefined) {
      loss = stepLoss;
      gradient = passGradient;
    } else {
      const [previousLoss, previousGradient] = [loss, gradient];
      loss = tf.add(previousLoss, stepLoss) as tf.Tensor1D;
      gradient = tf.add(previousGradient, passGradient) as tf.Tensor4D;
      tf.dispose([previousLoss, previousGradient, stepLoss, passGradient]);
    }
    logits?.dispose();
    logits = stepLogits;
  }
  if (loss === undefined || gradient === undefined || logits === undefined) throw new RangeError('eotIterations must be ≥ 1');
  if (passes === 1) return { loss, gradient, logits };
  const averaged = { loss: tf.div(loss, passes) as tf.Tensor1D, gradient: tf.div(gradient, passes) as tf.Tensor4D, logits };
  tf.dispose([loss, gradient]);
  return averaged;
}

/** true where argmax(logits) ≠ label (ties resolve to the lowest class id, as argmax does); bool [batch]. */
export function misclassified(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => tf.notEqual(tf.argMax(logits, 1), tf.cast(labels, 'int32')) as tf.Tensor1D);
}

/** Broadcasts a [batch] mask to [batch, 1, 1, 1] for `tf.where` on images. */
export function imageMask(mask: tf.Tensor1D): tf.Tensor4D {
  return tf.tidy(() => tf.reshape(mask, [mask.shape[0], 1, 1, 1]) as tf.Tensor4D);
}
