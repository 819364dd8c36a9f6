import type { Distiller } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { describeDistiller } from './describe-distiller.js';

// Minimal well-behaved distillers, so the suite is exercised without the distillers package:
// soft-label cross-entropy −Σ_c q_c log p_c with q = softmax(teacher / T[y]) (no gradient into q).
const detach = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [input] = args as [tf.Tensor];
  return { value: tf.clone(input), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

const softCrossEntropy = (teacher: tf.Tensor2D, temperature: tf.Tensor1D | number, student: tf.Tensor2D) =>
  tf.tidy(() => {
    const scale = typeof temperature === 'number' ? temperature : tf.expandDims(temperature, 1);
    const target = tf.softmax(detach(tf.div(teacher, scale)) as tf.Tensor2D);
    return tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(student)), 1)) as tf.Tensor1D;
  });

function createSoftLabelDistiller(acceptsTemperature: boolean): Distiller {
  return {
    specificationVersion: 'v1',
    id: acceptsTemperature ? 'soft-label' : 'soft-label-fixed',
    coefficients: { natural: 0.5, robust: 0.5 },
    forwardOrder: 'adversarial-first',
    needs: { teacherAdversarial: !acceptsTemperature },
    acceptsTemperature,
    ...(acceptsTemperature
      ? {
          attackObjective: (teacherNatural: tf.Tensor2D, temperature: { adversarial: tf.Tensor1D }) => (logits: tf.Tensor2D) =>
            softCrossEntropy(teacherNatural, temperature.adversarial, logits),
        }
      : {}),
    loss: ({ student, teacher, temperature }) => ({
      natural: softCrossEntropy(teacher.natural, acceptsTemperature ? temperature.natural : 1, student.natural),
      robust: softCrossEntropy(teacher.adversarial ?? teacher.natural, acceptsTemperature ? temperature.adversarial : 1, student.adversarial),
    }),
  };
}

describeDistiller('soft-label (suite self-test, temperatures)', () => createSoftLabelDistiller(true));
describeDistiller('soft-label-fixed (suite self-test, no temperatures, adversarial teacher)', () => createSoftLabelDistiller(false));
