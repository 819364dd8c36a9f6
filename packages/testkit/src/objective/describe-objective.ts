import type { LossInput, TrainingObjective } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectNoTensorLeak } from '../leak/expect-no-tensor-leak.js';

const labelValues = [0, 2, 1, 2];
const naturalValues = [
  [2, 0.5, -1],
  [0.1, 0.2, 0.3],
  [-1, 3, 0.5],
  [0, 0, 0],
];
const adversarialValues = [
  [0.5, 1, -0.5],
  [1, -0.5, 0.2],
  [0.5, 0.5, 2],
  [-2, 1, 0.5],
];

/** The tensors of one objective call; `natural` is the adversarial logits again when the objective does not read it. */
function createLossInput(objective: TrainingObjective, rows: readonly number[] = labelValues.map((_, index) => index)): LossInput {
  const pick = (matrix: readonly (readonly number[])[]) => rows.map((row) => [...(matrix[row] ?? [])]);
  const adversarial = tf.tensor2d(pick(adversarialValues));
  return {
    labels: tf.tensor1d(rows.map((row) => labelValues[row] ?? 0), 'int32'),
    student: { natural: objective.needsNaturalLogits ? tf.tensor2d(pick(naturalValues)) : adversarial, adversarial },
  };
}

function disposeLossInput(input: LossInput): void {
  tf.dispose([input.labels, input.student.natural, input.student.adversarial]);
}

/** Reads the terms of one call back as numbers and frees every tensor of it. */
function lossValues(objective: TrainingObjective, rows?: readonly number[]): { natural: number[]; robust: number[] } {
  const input = createLossInput(objective, rows);
  const terms = objective.loss(input);
  const values = { natural: Array.from(terms.natural.dataSync()), robust: Array.from(terms.robust.dataSync()) };
  tf.dispose([terms.natural, terms.robust]);
  disposeLossInput(input);
  return values;
}

/** Reads the attack objective of one call back as numbers (null when the objective has none). */
function attackObjectiveValues(objective: TrainingObjective, rows?: readonly number[]): number[] | null {
  if (!objective.attackObjective) return null;
  const input = createLossInput(objective, rows);
  const values = Array.from(objective.attackObjective(input.student.natural)(input.student.adversarial, input.labels).dataSync());
  disposeLossInput(input);
  return values;
}

/**
 * The training-objective conformance suite (HOUSE-STYLE B8): metadata is well formed, `loss`
 * returns per-sample terms of shape [batch] that are finite, unreduced (the terms of a batch
 * equal the terms of each sample alone) and unscaled, leaves no tensor alive and does not
 * dispose its inputs; `attackObjective`, when present, obeys the same rules.
 *
 * @param makeObjective builds a fresh objective for each test.
 */
export function describeObjective(name: string, makeObjective: () => TrainingObjective): void {
  describe(`objective conformance: ${name}`, () => {
    it('declares finite coefficients, a forward order and whether it reads natural logits', () => {
      const objective = makeObjective();
      expect(objective.specificationVersion).toBe('v1');
      expect(objective.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(Number.isFinite(objective.coefficients.natural)).toBe(true);
      expect(Number.isFinite(objective.coefficients.robust)).toBe(true);
      expect(['natural-first', 'adversarial-first']).toContain(objective.forwardOrder);
      expect(typeof objective.needsNaturalLogits).toBe('boolean');
    });

    it('returns finite float32 per-sample terms of shape [batch]', () => {
      const objective = makeObjective();
      const input = createLossInput(objective);
      const terms = objective.loss(input);
      for (const term of [terms.natural, terms.robust]) {
        expect(term.shape).toEqual([labelValues.length]);
        expect(term.dtype).toBe('float32');
        expect(Array.from(term.dataSync()).every(Number.isFinite)).toBe(true);
      }
      tf.dispose([terms.natural, terms.robust]);
      disposeLossInput(input);
    });

    it('is unreduced: the terms of a batch equal the terms of each sample alone', () => {
      const objective = makeObjective();
      const batch = lossValues(objective);
      labelValues.forEach((_, index) => {
        const alone = lossValues(objective, [index]);
        expect(alone.natural[0]).toBeCloseTo(batch.natural[index] ?? Number.NaN, 5);
        expect(alone.robust[0]).toBeCloseTo(batch.robust[index] ?? Number.NaN, 5);
      });
    });

    it('leaves no tensor alive and does not dispose its inputs', async () => {
      const objective = makeObjective();
      const input = createLossInput(objective);
      await expectNoTensorLeak(() => {
        const terms = objective.loss(input);
        tf.dispose([terms.natural, terms.robust]);
      }, `${name}.loss`);
      expect([input.labels.isDisposed, input.student.natural.isDisposed, input.student.adversarial.isDisposed]).toEqual([false, false, false]);
      disposeLossInput(input);
    });

    it('gives an attack objective (if any) that is per-sample, finite, unreduced and leak-free', async () => {
      const objective = makeObjective();
      const batch = attackObjectiveValues(objective);
      if (batch === null) return;
      expect(batch).toHaveLength(labelValues.length);
      expect(batch.every(Number.isFinite)).toBe(true);
      labelValues.forEach((_, index) => {
        expect(attackObjectiveValues(objective, [index])?.[0]).toBeCloseTo(batch[index] ?? Number.NaN, 5);
      });
      const input = createLossInput(objective);
      await expectNoTensorLeak(() => {
        const attackObjective = objective.attackObjective?.(input.student.natural);
        attackObjective?.(input.student.adversarial, input.labels).dispose();
      }, `${name}.attackObjective`);
      disposeLossInput(input);
    });
  });
}
