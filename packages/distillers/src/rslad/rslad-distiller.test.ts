import type { DistillationInput } from '@robustfair/spec';
import { describeDistiller } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRsladDistiller } from './rslad-distiller.js';

describeDistiller('rslad', () => createRsladDistiller());
describeDistiller('rslad (lossScale 10)', () => createRsladDistiller({ lossScale: 10 }));

// ---- an independent float64 reference, written from docs/methods/conventions.md and docs/methods/rslad.md ----
const softmax = (z: readonly number[]) => {
  const top = Math.max(...z);
  const exps = z.map((value) => Math.exp(value - top));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
};
/** The reference KLmean(logsoftmax(s), q): the mean over all B·C elements of q·(log(q + 1e-5) − log p). */
const referenceKlMean = (studentRows: readonly (readonly number[])[], targetRows: readonly (readonly number[])[]) => {
  let total = 0;
  let count = 0;
  studentRows.forEach((row, i) => {
    const p = softmax(row);
    const q = targetRows[i]!;
    q.forEach((qc, c) => {
      total += qc * (Math.log(qc + 1e-5) - Math.log(p[c]!));
      count += 1;
    });
  });
  return total / count;
};
const klByHand = (q: readonly number[], logits: readonly number[]) => {
  const p = softmax(logits);
  return q.reduce((sum, qc, c) => sum + (qc === 0 ? 0 : qc * (Math.log(qc) - Math.log(p[c]!))), 0);
};
/** Teacher soft labels with each sample's own class temperature: softmax(zt_i / T[y_i]). */
const softLabels = (teacher: readonly (readonly number[])[], labels: readonly number[], classTemperature: readonly number[]) =>
  teacher.map((row, i) => softmax(row.map((value) => value / classTemperature[labels[i]!]!)));

const labels = [0, 2, 1];
const teacherValues = [
  [3, -1, 0.5],
  [-0.5, 0.5, 2.5],
  [0.2, 1.8, -1.2],
];
const naturalValues = [
  [2, 0.5, -1],
  [0.1, 0.2, 0.3],
  [-1, 3, 0.5],
];
const adversarialValues = [
  [0.5, 1, -0.5],
  [1, -0.5, 0.2],
  [0.5, 0.5, 2],
];
const unit = [1, 1, 1];
/** Class-wise temperatures, different per class and between natural and adversarial. */
const classNatural = [1, 0.5, 2];
const classAdversarial = [2, 1, 0.5];

function createInput(temperatureNatural: readonly number[], temperatureAdversarial: readonly number[]): DistillationInput {
  return {
    labels: tf.tensor1d(labels, 'int32'),
    student: { natural: tf.tensor2d(naturalValues), adversarial: tf.tensor2d(adversarialValues) },
    teacher: { natural: tf.tensor2d(teacherValues) },
    // gathered by label, as the loop does
    temperature: {
      natural: tf.tensor1d(labels.map((label) => temperatureNatural[label]!)),
      adversarial: tf.tensor1d(labels.map((label) => temperatureAdversarial[label]!)),
    },
  };
}
const disposeInput = (input: DistillationInput) =>
  tf.dispose([input.labels, input.student.natural, input.student.adversarial, input.teacher.natural, input.temperature.natural, input.temperature.adversarial]);

function termsOf(distiller: ReturnType<typeof createRsladDistiller>, input: DistillationInput) {
  const terms = distiller.loss(input);
  const values = { natural: Array.from(terms.natural.dataSync()), robust: Array.from(terms.robust.dataSync()) };
  tf.dispose([terms.natural, terms.robust]);
  return values;
}
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

describe(createRsladDistiller, () => {
  it('declares RSLAD: 1/6 natural, 5/6 robust, adversarial forward first, teacher on natural images, temperatures accepted', () => {
    const distiller = createRsladDistiller();
    expect(distiller.id).toBe('rslad');
    expect(distiller.coefficients.natural).toBeCloseTo(1 / 6, 12);
    expect(distiller.coefficients.robust).toBeCloseTo(5 / 6, 12);
    expect(distiller.forwardOrder).toBe('adversarial-first');
    expect(distiller.needs).toEqual({ teacherAdversarial: false });
    expect(distiller.acceptsTemperature).toBe(true);
    expect(typeof distiller.attackObjective).toBe('function');
    expect(() => createRsladDistiller({ lossScale: 0 })).toThrow(RangeError);
    expect(() => createRsladDistiller({ lossScale: Number.NaN })).toThrow(RangeError);
  });

  it('gives about 1e-5 when student and teacher are both uniform (the 1e-5 term alone, by hand)', () => {
    const input: DistillationInput = {
      labels: tf.tensor1d([1], 'int32'),
      student: { natural: tf.tensor2d([[0, 0, 0]]), adversarial: tf.tensor2d([[0, 0, 0]]) },
      teacher: { natural: tf.tensor2d([[4, 4, 4]]) },
      temperature: { natural: tf.tensor1d([1]), adversarial: tf.tensor1d([1]) },
    };
    const terms = termsOf(createRsladDistiller(), input);
    // q = p = 1/3: Σ_c (1/3)(log(1/3 + 1e-5) − log(1/3)) / 3 = log(1 + 3e-5) / 3 ≈ 1e-5
    const byHand = Math.log(1 + 3e-5) / 3;
    expect(terms.natural[0]).toBeCloseTo(byHand, 7);
    expect(terms.robust[0]).toBeCloseTo(byHand, 7);
    disposeInput(input);
  });

  it('returns per-sample terms whose batch means are the reference KLmean, and 5/6·KLmean(adv) + 1/6·KLmean(nat) overall', () => {
    const distiller = createRsladDistiller();
    const input = createInput(unit, unit);
    const terms = termsOf(distiller, input);
    const q = softLabels(teacherValues, labels, unit);
    // per sample: the reference KLmean of that sample alone (mean over its C elements)
    terms.natural.forEach((value, i) => expect(value).toBeCloseTo(referenceKlMean([naturalValues[i]!], [q[i]!]), 6));
    terms.robust.forEach((value, i) => expect(value).toBeCloseTo(referenceKlMean([adversarialValues[i]!], [q[i]!]), 6));
    expect(mean(terms.natural)).toBeCloseTo(referenceKlMean(naturalValues, q), 6);
    expect(mean(terms.robust)).toBeCloseTo(referenceKlMean(adversarialValues, q), 6);
    const combined = mean(terms.natural.map((natural, i) => distiller.coefficients.natural * natural + distiller.coefficients.robust * terms.robust[i]!));
    expect(combined).toBeCloseTo((5 / 6) * referenceKlMean(adversarialValues, q) + (1 / 6) * referenceKlMean(naturalValues, q), 6);
    disposeInput(input);
  });

  it('divides the teacher logits by each sample’s own temperature: T_nat[y] for the natural term, T_adv[y] for the robust one', () => {
    const input = createInput(classNatural, classAdversarial);
    const terms = termsOf(createRsladDistiller(), input);
    const qNatural = softLabels(teacherValues, labels, classNatural);
    const qAdversarial = softLabels(teacherValues, labels, classAdversarial);
    terms.natural.forEach((value, i) => expect(value).toBeCloseTo(referenceKlMean([naturalValues[i]!], [qNatural[i]!]), 6));
    terms.robust.forEach((value, i) => expect(value).toBeCloseTo(referenceKlMean([adversarialValues[i]!], [qAdversarial[i]!]), 6));
    // and it matters: with unit temperatures the terms differ (T_nat[y_2] = 0.5, T_adv[y_1] = 0.5)
    const unitInput = createInput(unit, unit);
    const unitTerms = termsOf(createRsladDistiller(), unitInput);
    disposeInput(unitInput);
    expect(Math.abs(unitTerms.natural[2]! - terms.natural[2]!)).toBeGreaterThan(1e-3);
    expect(Math.abs(unitTerms.robust[1]! - terms.robust[1]!)).toBeGreaterThan(1e-3);
    disposeInput(input);
  });

  it('with lossScale 10 keeps the terms and multiplies both coefficients by 10 (the CIFAR-100 script)', () => {
    const scaled = createRsladDistiller({ lossScale: 10 });
    expect(scaled.coefficients.natural).toBeCloseTo(10 / 6, 12);
    expect(scaled.coefficients.robust).toBeCloseTo(50 / 6, 12);
    const input = createInput(unit, unit);
    const terms = termsOf(scaled, input);
    const q = softLabels(teacherValues, labels, unit);
    const combined = mean(terms.natural.map((natural, i) => scaled.coefficients.natural * natural + scaled.coefficients.robust * terms.robust[i]!));
    expect(combined).toBeCloseTo(10 * ((5 / 6) * referenceKlMean(adversarialValues, q) + (1 / 6) * referenceKlMean(naturalValues, q)), 5);
    disposeInput(input);
  });

  it('differentiates like the soft-label cross-entropy over C in the student, (p − q)/C, and not at all in the teacher', () => {
    const distiller = createRsladDistiller();
    const input = createInput(classNatural, classAdversarial);
    const gradient = tf.grad((value: tf.Tensor) =>
      tf.sum(distiller.loss({ ...input, student: { ...input.student, natural: value as tf.Tensor2D } }).natural),
    )(input.student.natural);
    const q = softLabels(teacherValues, labels, classNatural);
    const expected = naturalValues.map((row, i) => softmax(row).map((pk, k) => (pk - q[i]![k]!) / 3));
    (gradient.arraySync() as number[][]).forEach((row, i) => row.forEach((value, k) => expect(value).toBeCloseTo(expected[i]![k]!, 6)));
    const teacherGradient = tf.grad((value: tf.Tensor) => {
      const terms = distiller.loss({ ...input, teacher: { natural: value as tf.Tensor2D } });
      return tf.add(tf.sum(terms.natural), tf.sum(terms.robust));
    })(input.teacher.natural);
    expect(Array.from(teacherGradient.dataSync()).every((value) => value === 0)).toBe(true);
    tf.dispose([gradient, teacherGradient]);
    disposeInput(input);
  });

  describe('.attackObjective', () => {
    it('is KL(softmax(teacher / T_adv[y]) ‖ softmax(logits)) per sample, summed over classes (docs/methods/conventions.md#the-trades-kl-attack-with-a-gaussian-start)', () => {
      const input = createInput(classNatural, classAdversarial);
      const objective = createRsladDistiller().attackObjective!(input.teacher.natural, input.temperature);
      const values = objective(input.student.adversarial, input.labels);
      const target = softLabels(teacherValues, labels, classAdversarial);
      Array.from(values.dataSync()).forEach((value, i) => expect(value).toBeCloseTo(klByHand(target[i]!, adversarialValues[i]!), 5));
      tf.dispose(values);
      disposeInput(input);
    });

    it('targets exactly softmax(teacher / T_adv[y]): zero at logits = teacher / T_adv[y], whatever T_nat is', () => {
      const input = createInput([7, 3, 0.25], classAdversarial);
      const objective = createRsladDistiller().attackObjective!(input.teacher.natural, input.temperature);
      const atTarget = tf.tensor2d(teacherValues.map((row, i) => row.map((value) => value / classAdversarial[labels[i]!]!)));
      const values = objective(atTarget, input.labels);
      Array.from(values.dataSync()).forEach((value) => expect(value).toBeCloseTo(0, 6));
      // and not zero at the untempered teacher logits (samples 0 and 1 have T_adv ≠ 1)
      const untempered = objective(input.teacher.natural, input.labels);
      const untemperedValues = Array.from(untempered.dataSync());
      expect(untemperedValues[0]).toBeGreaterThan(1e-3);
      expect(untemperedValues[1]).toBeGreaterThan(1e-3);
      expect(untemperedValues[2]).toBeCloseTo(0, 6); // T_adv[1] = 1
      tf.dispose([atTarget, values, untempered]);
      disposeInput(input);
    });
  });
});

