import type { DistillationInput, Distiller } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { expectNoTensorLeak } from '../leak/expect-no-tensor-leak.js';
import {
  createDistillationInput,
  disposeDistillationInput,
  distillationInputTensors,
  distillerFixtureLabels,
  type DistillerFixtureTemperatures,
} from './distiller-fixture.js';

type FixtureOptions = { readonly rows?: readonly number[]; readonly temperatures?: DistillerFixtureTemperatures };
type TermValues = { natural: number[]; robust: number[] };

const classWise: DistillerFixtureTemperatures = { natural: 'class-wise', adversarial: 'class-wise' };
const batchSize = distillerFixtureLabels.length;

/** Reads the terms of one call back as numbers and frees every tensor of it. */
function lossValues(distiller: Distiller, options: FixtureOptions = {}): TermValues {
  const input = createDistillationInput(distiller, options);
  const terms = distiller.loss(input);
  const values = { natural: Array.from(terms.natural.dataSync()), robust: Array.from(terms.robust.dataSync()) };
  tf.dispose([terms.natural, terms.robust]);
  disposeDistillationInput(input);
  return values;
}

/** The attack objective evaluated at the student's adversarial logits (null when the distiller has none). */
function attackObjectiveValues(distiller: Distiller, options: FixtureOptions = {}): number[] | null {
  if (!distiller.attackObjective) return null;
  const input = createDistillationInput(distiller, options);
  const values = tf.tidy(() => {
    const objective = distiller.attackObjective?.(input.teacher.natural, input.temperature);
    return objective ? Array.from(objective(input.student.adversarial, input.labels).dataSync()) : [];
  });
  disposeDistillationInput(input);
  return values;
}

/**
 * Gradient of the scalar `f(x)` with respect to `x`, as numbers. A zero-weighted path from `x`
 * is added so that a function that does not depend on `x` at all gives zeros instead of throwing.
 */
function gradientValues(f: (x: tf.Tensor2D) => tf.Scalar, x: tf.Tensor2D): number[] {
  return tf.tidy(() => {
    const gradient = tf.grad((value: tf.Tensor) => tf.add(f(value as tf.Tensor2D), tf.mul(tf.sum(value), 0)))(x);
    return Array.from(gradient.dataSync());
  });
}

const totalLoss = (distiller: Distiller, input: DistillationInput): tf.Scalar => {
  const terms = distiller.loss(input);
  return tf.add(
    tf.mul(tf.sum(terms.natural), distiller.coefficients.natural),
    tf.mul(tf.sum(terms.robust), distiller.coefficients.robust),
  ) as tf.Scalar;
};

const largestDifference = (a: readonly number[], b: readonly number[]) =>
  a.reduce((largest, value, index) => Math.max(largest, Math.abs(value - (b[index] ?? Number.NaN))), 0);

const flatten = (terms: TermValues, attack: number[] | null) => [...terms.natural, ...terms.robust, ...(attack ?? [])];

/**
 * The distiller conformance suite (HOUSE-STYLE B8), on a fixed batch of 4 samples, 3 classes,
 * with fixed teacher logits and class-wise teacher temperatures gathered by label:
 * - metadata is well formed (id, finite coefficients, forward order, needs, acceptsTemperature);
 * - `loss` returns finite float32 per-sample terms of shape [batch], unreduced (the terms of a
 *   batch equal the terms of each sample alone, temperatures included), leaves no tensor alive
 *   and does not dispose its inputs;
 * - the teacher logits receive no gradient (from `loss` nor from `attackObjective`), the student
 *   logits do (finite, not all zero);
 * - temperatures are honoured when `acceptsTemperature` (changing the natural temperatures
 *   changes the output, and so does changing the adversarial ones) and ignored otherwise;
 * - `attackObjective`, when present, is per-sample [batch], finite, unreduced, differentiable in
 *   the attacked logits and leak-free.
 *
 * @param makeDistiller builds a fresh distiller for each test.
 */
export function describeDistiller(name: string, makeDistiller: () => Distiller): void {
  describe(`distiller conformance: ${name}`, () => {
    it('declares an id, finite coefficients, a forward order, its teacher needs and whether it accepts temperatures', () => {
      const distiller = makeDistiller();
      expect(distiller.specificationVersion).toBe('v1');
      expect(distiller.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(Number.isFinite(distiller.coefficients.natural)).toBe(true);
      expect(Number.isFinite(distiller.coefficients.robust)).toBe(true);
      expect(['natural-first', 'adversarial-first']).toContain(distiller.forwardOrder);
      expect(typeof distiller.needs.teacherAdversarial).toBe('boolean');
      expect(typeof distiller.acceptsTemperature).toBe('boolean');
    });

    it('returns finite float32 per-sample terms of shape [batch]', () => {
      const distiller = makeDistiller();
      const input = createDistillationInput(distiller, { temperatures: classWise });
      const terms = distiller.loss(input);
      for (const term of [terms.natural, terms.robust]) {
        expect(term.shape).toEqual([batchSize]);
        expect(term.dtype).toBe('float32');
        expect(Array.from(term.dataSync()).every(Number.isFinite)).toBe(true);
      }
      tf.dispose([terms.natural, terms.robust]);
      disposeDistillationInput(input);
    });

    it('is unreduced: the terms of a batch equal the terms of each sample alone', () => {
      const distiller = makeDistiller();
      const batch = lossValues(distiller, { temperatures: classWise });
      distillerFixtureLabels.forEach((_, index) => {
        const alone = lossValues(distiller, { rows: [index], temperatures: classWise });
        expect(alone.natural[0]).toBeCloseTo(batch.natural[index] ?? Number.NaN, 5);
        expect(alone.robust[0]).toBeCloseTo(batch.robust[index] ?? Number.NaN, 5);
      });
    });

    it('leaves no tensor alive and does not dispose its inputs', async () => {
      const distiller = makeDistiller();
      const input = createDistillationInput(distiller, { temperatures: classWise });
      await expectNoTensorLeak(() => {
        const terms = distiller.loss(input);
        tf.dispose([terms.natural, terms.robust]);
      }, `${name}.loss`);
      expect(distillationInputTensors(input).every((tensor) => !tensor.isDisposed)).toBe(true);
      disposeDistillationInput(input);
    });

    it('gives the teacher logits no gradient, and the student logits a finite, non-zero one', () => {
      const distiller = makeDistiller();
      const input = createDistillationInput(distiller, { temperatures: classWise });
      const teacherNatural = gradientValues((value) => totalLoss(distiller, { ...input, teacher: { ...input.teacher, natural: value } }), input.teacher.natural);
      expect(teacherNatural.every((value) => value === 0)).toBe(true);
      const teacherAdversarial = input.teacher.adversarial;
      if (teacherAdversarial) {
        const gradient = gradientValues((value) => totalLoss(distiller, { ...input, teacher: { ...input.teacher, adversarial: value } }), teacherAdversarial);
        expect(gradient.every((value) => value === 0)).toBe(true);
      }
      if (distiller.attackObjective) {
        const gradient = gradientValues(
          (value) => tf.sum(distiller.attackObjective!(value, input.temperature)(input.student.adversarial, input.labels)) as tf.Scalar,
          input.teacher.natural,
        );
        expect(gradient.every((value) => value === 0)).toBe(true);
      }
      const studentNatural = gradientValues((value) => totalLoss(distiller, { ...input, student: { ...input.student, natural: value } }), input.student.natural);
      const studentAdversarial = gradientValues(
        (value) => totalLoss(distiller, { ...input, student: { ...input.student, adversarial: value } }),
        input.student.adversarial,
      );
      const student = [...studentNatural, ...studentAdversarial];
      expect(student.every(Number.isFinite)).toBe(true);
      expect(student.some((value) => Math.abs(value) > 1e-6)).toBe(true);
      disposeDistillationInput(input);
    });

    it('honours the natural and the adversarial teacher temperatures if it accepts them, and ignores them otherwise', () => {
      const distiller = makeDistiller();
      const outputs = (temperatures: DistillerFixtureTemperatures) =>
        flatten(lossValues(distiller, { temperatures }), attackObjectiveValues(distiller, { temperatures }));
      const unit = outputs({ natural: 'unit', adversarial: 'unit' });
      const naturalChanged = outputs({ natural: 'class-wise', adversarial: 'unit' });
      const adversarialChanged = outputs({ natural: 'unit', adversarial: 'class-wise' });
      if (distiller.acceptsTemperature) {
        expect(largestDifference(unit, naturalChanged), 'natural temperatures change nothing').toBeGreaterThan(1e-4);
        expect(largestDifference(unit, adversarialChanged), 'adversarial temperatures change nothing').toBeGreaterThan(1e-4);
      } else {
        expect(largestDifference(unit, naturalChanged), 'natural temperatures are not ignored').toBeLessThan(1e-6);
        expect(largestDifference(unit, adversarialChanged), 'adversarial temperatures are not ignored').toBeLessThan(1e-6);
      }
    });

    it('gives an attack objective (if any) that is per-sample, finite, unreduced, differentiable and leak-free', async () => {
      const distiller = makeDistiller();
      const batch = attackObjectiveValues(distiller, { temperatures: classWise });
      if (batch === null) return;
      expect(batch).toHaveLength(batchSize);
      expect(batch.every(Number.isFinite)).toBe(true);
      distillerFixtureLabels.forEach((_, index) => {
        const alone = attackObjectiveValues(distiller, { rows: [index], temperatures: classWise });
        expect(alone?.[0]).toBeCloseTo(batch[index] ?? Number.NaN, 5);
      });
      const input = createDistillationInput(distiller, { temperatures: classWise });
      const gradient = gradientValues(
        (value) => tf.sum(distiller.attackObjective!(input.teacher.natural, input.temperature)(value, input.labels)) as tf.Scalar,
        input.student.adversarial,
      );
      expect(gradient.every(Number.isFinite)).toBe(true);
      expect(gradient.some((value) => Math.abs(value) > 1e-6)).toBe(true);
      await expectNoTensorLeak(() => {
        const objective = distiller.attackObjective?.(input.teacher.natural, input.temperature);
        objective?.(input.student.adversarial, input.labels).dispose();
      }, `${name}.attackObjective`);
      expect(distillationInputTensors(input).every((tensor) => !tensor.isDisposed)).toBe(true);
      disposeDistillationInput(input);
    });
  });
}
