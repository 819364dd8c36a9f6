import type { ClassKnobs, ClassVector } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';

/** The knobs of one epoch as kept [C] tensors: uploaded once, gathered per batch, disposed at epoch end. */
export interface KnobTensors {
  readonly epsilon: tf.Tensor1D;
  readonly naturalWeight: tf.Tensor1D;
  readonly robustWeight: tf.Tensor1D;
  /** Teacher temperatures (ABSLD), 1 when the strategy sets none. */
  readonly temperatureNatural: tf.Tensor1D;
  readonly temperatureAdversarial: tf.Tensor1D;
  dispose(): void;
}

function vector(values: ClassVector | undefined, fallback: number, numClasses: number, field: string): tf.Tensor1D {
  if (values && values.length !== numClasses) {
    throw new Error(`knobs.${field} has ${values.length} entries; the dataset has ${numClasses} classes`);
  }
  if (values && values.some((value) => !Number.isFinite(value))) throw new Error(`knobs.${field} contains a non-finite value`);
  return tf.keep(tf.tensor1d(values ? [...values] : new Array<number>(numClasses).fill(fallback), 'float32'));
}

/** Neutral values fill absent fields: the base ε and weight 1 (spec ClassKnobs). */
export function uploadKnobs(knobs: ClassKnobs, numClasses: number, baseEpsilon: number): KnobTensors {
  const epsilon = vector(knobs.epsilon, baseEpsilon, numClasses, 'epsilon');
  const naturalWeight = vector(knobs.naturalWeight, 1, numClasses, 'naturalWeight');
  const robustWeight = vector(knobs.robustWeight, 1, numClasses, 'robustWeight');
  const temperatureNatural = vector(knobs.temperature?.natural, 1, numClasses, 'temperature.natural');
  const temperatureAdversarial = vector(knobs.temperature?.adversarial, 1, numClasses, 'temperature.adversarial');
  return {
    epsilon,
    naturalWeight,
    robustWeight,
    temperatureNatural,
    temperatureAdversarial,
    dispose() {
      tf.dispose([epsilon, naturalWeight, robustWeight, temperatureNatural, temperatureAdversarial]);
    },
  };
}
