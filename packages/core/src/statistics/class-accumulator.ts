import type { ClassSignal, ClassVector } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';

/** Per-class sums read back once: counts, the sum of each signal, and the summed batch loss. */
export interface AccumulatedStatistics {
  readonly count: ClassVector;
  readonly sums: Readonly<Partial<Record<ClassSignal, ClassVector>>>;
  readonly lossSum: number;
  readonly batches: number;
}

/**
 * On-device per-class sums for one epoch (HOUSE-STYLE B6): one kept [signals + 1, C] tensor
 * (row 0 counts samples), updated by a one-hot matmul per batch, read back once by `read()`.
 */
export interface ClassAccumulator {
  readonly signals: readonly ClassSignal[];
  /** Adds one batch. `values[signal]` are per-sample [B]; the caller keeps ownership of them. */
  add(labels: tf.Tensor1D, values: Readonly<Partial<Record<ClassSignal, tf.Tensor1D>>>, loss?: tf.Scalar): void;
  /** The one read-back of the epoch. */
  read(): Promise<AccumulatedStatistics>;
  dispose(): void;
}

export function createClassAccumulator(signals: readonly ClassSignal[], numClasses: number): ClassAccumulator {
  const unique = [...new Set(signals)];
  let sums: tf.Tensor2D = tf.keep(tf.zeros([unique.length + 1, numClasses]));
  let lossSum = tf.keep(tf.scalar(0));
  let batches = 0;
  return {
    signals: unique,
    add(labels, values, loss) {
      const next = tf.tidy(() => {
        const rows = unique.map((signal) => {
          const value = values[signal];
          if (!value) throw new Error(`class accumulator: signal '${signal}' missing from this batch`);
          return tf.cast(value, 'float32');
        });
        const ones = tf.onesLike(tf.cast(labels, 'float32'));
        const perSample = tf.stack([ones, ...rows]); // [S + 1, B]
        const oneHot = tf.cast(tf.oneHot(tf.cast(labels, 'int32'), numClasses), 'float32'); // [B, C]
        return tf.keep(tf.add(sums, tf.matMul(perSample, oneHot)) as tf.Tensor2D);
      });
      sums.dispose();
      sums = next;
      if (loss) {
        const nextLoss = tf.tidy(() => tf.keep(tf.add(lossSum, loss) as tf.Scalar));
        lossSum.dispose();
        lossSum = nextLoss;
      }
      batches += 1;
    },
    async read() {
      const packed = tf.tidy(() => tf.concat([tf.reshape(sums, [-1]), tf.reshape(lossSum, [1])]));
      const data = await packed.data();
      packed.dispose();
      const row = (index: number) => Array.from(data.subarray(index * numClasses, (index + 1) * numClasses));
      const result: Partial<Record<ClassSignal, ClassVector>> = {};
      unique.forEach((signal, index) => {
        result[signal] = row(index + 1);
      });
      return { count: row(0), sums: result, lossSum: data[data.length - 1] ?? 0, batches };
    },
    dispose() {
      sums.dispose();
      lossSum.dispose();
    },
  };
}
