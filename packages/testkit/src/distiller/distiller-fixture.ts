import type { DistillationInput, Distiller } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';

/** Labels of the fixed batch (3 classes, class 2 twice). */
export const distillerFixtureLabels: readonly number[] = [0, 2, 1, 2];
const studentNaturalValues = [
  [2, 0.5, -1],
  [0.1, 0.2, 0.3],
  [-1, 3, 0.5],
  [0, 0, 0],
];
const studentAdversarialValues = [
  [0.5, 1, -0.5],
  [1, -0.5, 0.2],
  [0.5, 0.5, 2],
  [-2, 1, 0.5],
];
const teacherNaturalValues = [
  [3, -1, 0.5],
  [-0.5, 0.5, 2.5],
  [0.2, 1.8, -1.2],
  [1, -2, 1.5],
];
const teacherAdversarialValues = [
  [1.5, 0, 0.5],
  [0, 1, 1.2],
  [0.5, 0.8, -0.2],
  [0.3, -0.6, 0.9],
];

/** Class-wise teacher temperatures the fixture gathers by label when asked (all ≠ 1, natural ≠ adversarial). */
export const distillerFixtureClassTemperatures = {
  natural: [1.5, 0.5, 2],
  adversarial: [0.7, 2.5, 1.2],
} as const;

/** Which per-sample temperatures a fixture input carries. */
export interface DistillerFixtureTemperatures {
  /** 'unit': ones; 'class-wise': the class vector gathered by label. */
  readonly natural: 'unit' | 'class-wise';
  readonly adversarial: 'unit' | 'class-wise';
}

const unitTemperatures: DistillerFixtureTemperatures = { natural: 'unit', adversarial: 'unit' };

/**
 * The tensors of one distiller call on the fixed batch, restricted to `rows` (all by default).
 * `teacher.adversarial` is present only when the distiller asks for it. Free with
 * {@link disposeDistillationInput}.
 */
export function createDistillationInput(
  distiller: Distiller,
  options: { readonly rows?: readonly number[]; readonly temperatures?: DistillerFixtureTemperatures } = {},
): DistillationInput {
  const rows = options.rows ?? distillerFixtureLabels.map((_, index) => index);
  const temperatures = options.temperatures ?? unitTemperatures;
  const pick = (matrix: readonly (readonly number[])[]) => tf.tensor2d(rows.map((row) => [...(matrix[row] ?? [])]));
  const labels = rows.map((row) => distillerFixtureLabels[row] ?? 0);
  const gather = (kind: 'unit' | 'class-wise', classValues: readonly number[]) =>
    tf.tensor1d(labels.map((label) => (kind === 'unit' ? 1 : (classValues[label] ?? 1))));
  const teacherNatural = pick(teacherNaturalValues);
  return {
    labels: tf.tensor1d(labels, 'int32'),
    student: { natural: pick(studentNaturalValues), adversarial: pick(studentAdversarialValues) },
    teacher: distiller.needs.teacherAdversarial
      ? { natural: teacherNatural, adversarial: pick(teacherAdversarialValues) }
      : { natural: teacherNatural },
    temperature: {
      natural: gather(temperatures.natural, distillerFixtureClassTemperatures.natural),
      adversarial: gather(temperatures.adversarial, distillerFixtureClassTemperatures.adversarial),
    },
  };
}

/** Every tensor of a fixture input. */
export function distillationInputTensors(input: DistillationInput): tf.Tensor[] {
  const tensors: tf.Tensor[] = [
    input.labels,
    input.student.natural,
    input.student.adversarial,
    input.teacher.natural,
    input.temperature.natural,
    input.temperature.adversarial,
  ];
  if (input.teacher.adversarial) tensors.push(input.teacher.adversarial);
  return tensors;
}

/** Frees every tensor of a fixture input. */
export function disposeDistillationInput(input: DistillationInput): void {
  tf.dispose(distillationInputTensors(input));
}
