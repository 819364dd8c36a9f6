import type { AttackRequest, Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { createLinearModel } from './create-linear-model.js';

/** Per-class radii of the conformance fixture: class 2 has ε = 0, so its samples must not move. */
export const fixtureClassEpsilon: readonly number[] = [0.1, 0.03, 0];

/** Per-class radii of the five-class fixture (targeted attacks need ≥ 4 classes): class 2 has ε = 0. */
export const fiveClassFixtureEpsilon: readonly number[] = [0.1, 0.03, 0, 0.06, 0.02];

/** Which conformance fixture: three classes (default) or five (APGD-T, FAB-T, AutoAttack). */
export type AttackFixtureClasses = 3 | 5;

/** A small attack request over a 3-class linear model on 2×2×1 inputs, with per-class ε. */
export interface AttackFixture {
  readonly model: Model;
  readonly request: AttackRequest;
  /** Disposes the model and the request's tensors. */
  dispose(): void;
}

/**
 * Builds the conformance fixture: six samples (labels 0, 1, 2, 0, 1, 2; with five classes
 * 0, 1, 2, 3, 4, 3), some pixels on the box edges so clipping to bounds matters, ε gathered per
 * class from {@link fixtureClassEpsilon} (or {@link fiveClassFixtureEpsilon}).
 * `wrapModel` lets a test put a double (e.g. {@link recordTrainingFlags}) around the model.
 */
export function createAttackFixture(
  seed: number,
  wrapModel: (model: Model) => Model = (model) => model,
  classes: AttackFixtureClasses = 3,
): AttackFixture {
  const classEpsilon = classes === 3 ? fixtureClassEpsilon : fiveClassFixtureEpsilon;
  const model = wrapModel(
    createLinearModel(
      classes === 3
        ? {
            weights: [
              [1, -0.5, 0.25],
              [-1, 0.75, 0.5],
              [0.5, 0.5, -1],
              [-0.25, -1, 1],
            ],
            bias: [0.1, 0, -0.1],
            inputShape: [2, 2, 1],
            bounds: [0, 1],
          }
        : {
            weights: [
              [1, -0.5, 0.25, 0.4, -0.8],
              [-1, 0.75, 0.5, -0.3, 0.6],
              [0.5, 0.5, -1, 0.9, -0.2],
              [-0.25, -1, 1, -0.6, 0.35],
            ],
            bias: [0.1, 0, -0.1, 0.05, -0.05],
            inputShape: [2, 2, 1],
            bounds: [0, 1],
          },
    ),
  );
  const labelValues = classes === 3 ? [0, 1, 2, 0, 1, 2] : [0, 1, 2, 3, 4, 3];
  const inputs = tf.tensor4d(
    [0, 1, 0.5, 0.2, 0.95, 0.05, 0.3, 0.7, 0.5, 0.5, 0.5, 0.5, 1, 1, 0, 0, 0.02, 0.4, 0.98, 0.6, 0.25, 0.75, 0.1, 0.9],
    [6, 2, 2, 1],
  );
  const labels = tf.tensor1d(labelValues, 'int32');
  const epsilon = tf.tensor1d(labelValues.map((label) => classEpsilon[label] ?? 0));
  return {
    model,
    request: { model, inputs, labels, epsilon, seed },
    dispose: () => {
      tf.dispose([inputs, labels, epsilon]);
      model.dispose();
    },
  };
}
