import type { Divergence, Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Watches one epoch for non-finite numbers without a per-batch read-back (HOUSE-STYLE B6): each
 * batch folds "this batch's loss is not finite" into a kept scalar on the device, the running
 * minimum of such batch indices (Infinity while all are finite). `read()`, once per epoch next
 * to the class statistics' read-back, adds whether every weight and batch-norm statistic is
 * still finite (the last step's update is not seen by any loss) and returns the first problem.
 * It only reads the loss, never changes it: finite runs stay bit-identical.
 */
export interface DivergenceMonitor {
  add(loss: tf.Scalar, batch: number): void;
  /** The epoch's first non-finite batch loss, else non-finite weights, else undefined. */
  read(epoch: number, model: Model): Promise<Divergence | undefined>;
  dispose(): void;
}

export function createDivergenceMonitor(): DivergenceMonitor {
  let firstBatch: tf.Scalar = tf.keep(tf.scalar(Number.POSITIVE_INFINITY));
  return {
    add(loss, batch) {
      const next = tf.tidy(() => tf.keep(tf.minimum(firstBatch, tf.where(tf.isFinite(loss), tf.scalar(Number.POSITIVE_INFINITY), tf.scalar(batch))) as tf.Scalar));
      firstBatch.dispose();
      firstBatch = next;
    },
    async read(epoch, model) {
      const packed = tf.tidy(() => {
        const finiteWeights = model.namedVariables().map(({ variable }) => tf.all(tf.isFinite(variable)));
        const weightsFinite = finiteWeights.length === 0 ? tf.scalar(1) : tf.cast(tf.all(tf.stack(finiteWeights)), 'float32');
        return tf.stack([firstBatch, weightsFinite]);
      });
      const [batch, weightsFinite] = await packed.data();
      packed.dispose();
      if (batch !== undefined && Number.isFinite(batch)) return { epoch, batch, what: 'loss' };
      if (weightsFinite !== 1) return { epoch, what: 'weights' };
      return undefined;
    },
    dispose() {
      firstBatch.dispose();
    },
  };
}
