import type { ClassSignal } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { crossEntropyPerSample, errorIndicator } from '../tensor/losses.js';

/** Logits and terms a batch produced, from which per-sample signals are derived. */
export interface SignalSources {
  readonly labels: tf.Tensor1D;
  readonly natural?: tf.Tensor2D;
  readonly adversarial: tf.Tensor2D;
  readonly naturalLoss?: tf.Tensor1D;
  readonly robustLoss?: tf.Tensor1D;
  /** Attack steps each sample stayed correct (an attack's `perturbWithTrace`). */
  readonly stepsCorrect?: tf.Tensor1D;
}

/** Signals that need the clean logits. */
export const naturalSignals: readonly ClassSignal[] = ['natural-error', 'boundary-error', 'natural-ce'];

/**
 * Per-sample values of each requested signal (spec ClassSignal). Returns new tensors owned
 * by the caller. Throws when a signal's source is absent, naming it.
 */
export function perSampleSignals(signals: readonly ClassSignal[], sources: SignalSources): Partial<Record<ClassSignal, tf.Tensor1D>> {
  return tf.tidy(() => {
    const need = <T>(value: T | undefined, signal: ClassSignal, what: string): T => {
      if (value === undefined) throw new Error(`signal '${signal}' needs ${what}, which this step did not compute`);
      return value;
    };
    const result: Partial<Record<ClassSignal, tf.Tensor1D>> = {};
    for (const signal of signals) {
      switch (signal) {
        case 'natural-error':
          result[signal] = errorIndicator(need(sources.natural, signal, 'clean logits'), sources.labels);
          break;
        case 'robust-error':
          result[signal] = errorIndicator(sources.adversarial, sources.labels);
          break;
        case 'boundary-error': {
          const naturalWrong = errorIndicator(need(sources.natural, signal, 'clean logits'), sources.labels);
          const robustWrong = errorIndicator(sources.adversarial, sources.labels);
          result[signal] = tf.mul(tf.sub(1, naturalWrong), robustWrong) as tf.Tensor1D;
          break;
        }
        case 'natural-ce':
          result[signal] = crossEntropyPerSample(need(sources.natural, signal, 'clean logits'), sources.labels);
          break;
        case 'robust-ce':
          result[signal] = crossEntropyPerSample(sources.adversarial, sources.labels);
          break;
        case 'natural-loss':
          result[signal] = tf.clone(need(sources.naturalLoss, signal, 'the natural loss term'));
          break;
        case 'robust-loss':
          result[signal] = tf.clone(need(sources.robustLoss, signal, 'the robust loss term'));
          break;
        case 'kappa':
          result[signal] = tf.cast(need(sources.stepsCorrect, signal, "an attack trace (the attack's perturbWithTrace)"), 'float32') as tf.Tensor1D;
          break;
        default: {
          const unknown: never = signal;
          throw new Error(`unknown class signal '${String(unknown)}'`);
        }
      }
    }
    return result;
  });
}
