import type { DistillationInput } from '@robustfair/spec';
import { describeDistiller } from '@robustfair/testkit';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createArdDistiller } from './ard-distiller.js';

describeDistiller('ard', () => createArdDistiller());
describeDistiller('ard (α 0.9, T 4)', () => createArdDistiller({ distillationWeight: 0.9, temperature: 4 }));

// ---- an independent float64 reference, written from docs/methods/ard.md ----
const softmax = (z: readonly number[]) => {
  const top = Math.max(...z);
  const exps = z.map((value) => Math.exp(value - top));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
};
/** PyTorch `nn.KLDivLoss()(logsoftmax(s/T), softmax(t/T))`: mean over all B·C elements of q·(log q − log p). */
const referenceKlDivLoss = (student: readonly (readonly number[])[], teacher: readonly (readonly number[])[], temperature: number) => {
  let total = 0;
  let count = 0;
  student.forEach((row, i) => {
    const p = softmax(row.map((value) => value / temperature));
    const q = softmax(teacher[i]!.map((value) => value / temperature));
    q.forEach((qc, c) => {
      total += qc * (Math.log(qc) - Math.log(p[c]!));
      count += 1;
    });
  });
  return total / count;
};
const crossEntropy = (row: readonly number[], label: number) => -Math.log(softmax(row)[label]!);
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

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
  [4, 1, -3],
  [1, -2.5, 6],
  [0.5, 3.5, 2],
];

function createInput(
  values: { natural: number[][]; adversarial: number[][]; teacher: number[][]; labels: number[] },
  temperatures: { natural: number[]; adversarial: number[] } = {
    natural: values.labels.map(() => 1),
    adversarial: values.labels.map(() => 1),
  },
): DistillationInput {
  return {
    labels: tf.tensor1d(values.labels, 'int32'),
    student: { natural: tf.tensor2d(values.natural), adversarial: tf.tensor2d(values.adversarial) },
    teacher: { natural: tf.tensor2d(values.teacher) },
    temperature: { natural: tf.tensor1d(temperatures.natural), adversarial: tf.tensor1d(temperatures.adversarial) },
  };
}
const disposeInput = (input: DistillationInput) =>
  tf.dispose([input.labels, input.student.natural, input.student.adversarial, input.teacher.natural, input.temperature.natural, input.temperature.adversarial]);
function termsOf(distiller: ReturnType<typeof createArdDistiller>, input: DistillationInput) {
  const terms = distiller.loss(input);
  const values = { natural: Array.from(terms.natural.dataSync()), robust: Array.from(terms.robust.dataSync()) };
  tf.dispose([terms.natural, terms.robust]);
  return values;
}

describe(createArdDistiller, () => {
  it('declares ARD: coefficients 1 − α and α·T² (defaults α = 1, T = 30), adversarial forward first, no temperatures, no attack objective', () => {
    const distiller = createArdDistiller();
    expect(distiller.id).toBe('ard');
    expect(distiller.coefficients).toEqual({ natural: 0, robust: 900 });
    expect(createArdDistiller({ distillationWeight: 0.9, temperature: 4 }).coefficients.natural).toBeCloseTo(0.1, 12);
    expect(createArdDistiller({ distillationWeight: 0.9, temperature: 4 }).coefficients.robust).toBeCloseTo(14.4, 12);
    expect(distiller.forwardOrder).toBe('adversarial-first');
    expect(distiller.needs).toEqual({ teacherAdversarial: false });
    expect(distiller.acceptsTemperature).toBe(false);
    expect(distiller.attackObjective).toBeUndefined();
    expect(() => createArdDistiller({ distillationWeight: 1.2 })).toThrow(RangeError);
    expect(() => createArdDistiller({ temperature: 0 })).toThrow(RangeError);
  });

  it('matches a sample computed by hand at T = 30', () => {
    // teacher uniform → q = (1/3, 1/3, 1/3); s'/T = (ln 2, 0, 0) → p = (1/2, 1/4, 1/4);
    // KL(q ‖ p) = (1/3)·ln((1/3)/(1/2)) + (2/3)·ln((1/3)/(1/4)); robust = KL / C with C = 3.
    // natural logits (ln 3, 0, 0), label 0: CE = −ln(3/5).
    const input = createInput({ natural: [[Math.log(3), 0, 0]], adversarial: [[30 * Math.log(2), 0, 0]], teacher: [[5, 5, 5]], labels: [0] });
    const terms = termsOf(createArdDistiller(), input);
    expect(terms.robust[0]).toBeCloseTo(((1 / 3) * Math.log(2 / 3) + (2 / 3) * Math.log(4 / 3)) / 3, 6);
    expect(terms.natural[0]).toBeCloseTo(Math.log(5 / 3), 6);
    disposeInput(input);
  });

  it('on a fixed batch, α·T²·mean(robust) + (1 − α)·mean(natural) is the reference ARD loss with nn.KLDivLoss’s element mean', () => {
    const distiller = createArdDistiller({ distillationWeight: 0.9, temperature: 4 });
    const input = createInput({ natural: naturalValues, adversarial: adversarialValues, teacher: teacherValues, labels });
    const terms = termsOf(distiller, input);
    terms.robust.forEach((value, i) => expect(value).toBeCloseTo(referenceKlDivLoss([adversarialValues[i]!], [teacherValues[i]!], 4), 6));
    terms.natural.forEach((value, i) => expect(value).toBeCloseTo(crossEntropy(naturalValues[i]!, labels[i]!), 5));
    const loss = distiller.coefficients.robust * mean(terms.robust) + distiller.coefficients.natural * mean(terms.natural);
    const reference =
      0.9 * 16 * referenceKlDivLoss(adversarialValues, teacherValues, 4) + 0.1 * mean(naturalValues.map((row, i) => crossEntropy(row, labels[i]!)));
    expect(loss).toBeCloseTo(reference, 5);
    disposeInput(input);
  });

  it('ignores the per-sample teacher temperatures it is given', () => {
    const distiller = createArdDistiller({ distillationWeight: 0.5, temperature: 2 });
    const values = { natural: naturalValues, adversarial: adversarialValues, teacher: teacherValues, labels };
    const plain = createInput(values);
    const tempered = createInput(values, { natural: [0.5, 2, 3], adversarial: [4, 0.7, 1.5] });
    expect(termsOf(distiller, tempered)).toEqual(termsOf(distiller, plain));
    disposeInput(plain);
    disposeInput(tempered);
  });

  it('sends no gradient into the teacher logits, and (p − q)/(C·T) into the student’s adversarial logits', () => {
    const temperature = 4;
    const distiller = createArdDistiller({ distillationWeight: 1, temperature });
    const input = createInput({ natural: naturalValues, adversarial: adversarialValues, teacher: teacherValues, labels });
    const teacherGradient = tf.grad((value: tf.Tensor) => tf.sum(distiller.loss({ ...input, teacher: { natural: value as tf.Tensor2D } }).robust))(
      input.teacher.natural,
    );
    expect(Array.from(teacherGradient.dataSync()).every((value) => value === 0)).toBe(true);
    const studentGradient = tf.grad((value: tf.Tensor) =>
      tf.sum(distiller.loss({ ...input, student: { ...input.student, adversarial: value as tf.Tensor2D } }).robust),
    )(input.student.adversarial);
    const expected = adversarialValues.map((row, i) => {
      const p = softmax(row.map((value) => value / temperature));
      const q = softmax(teacherValues[i]!.map((value) => value / temperature));
      return p.map((pk, k) => (pk - q[k]!) / (3 * temperature));
    });
    (studentGradient.arraySync() as number[][]).forEach((row, i) => row.forEach((value, k) => expect(value).toBeCloseTo(expected[i]![k]!, 6)));
    tf.dispose([teacherGradient, studentGradient]);
    disposeInput(input);
  });
});
