import type { ClassKnobs, ClassVector } from '@robustfair/spec';

const knobFields = new Set(['epsilon', 'naturalWeight', 'robustWeight', 'temperature', 'reduction']);
const temperatureFields = new Set(['natural', 'adversarial']);
const reductions = new Set(['mean', 'weight-normalised', 'joint-weight-normalised']);

/**
 * Throws unless every vector in `knobs` has `numClasses` finite entries, no field is unknown
 * (a typo such as `robustWeights` would silently be neutral) and `reduction` is a known one.
 */
export function assertValidKnobs(knobs: ClassKnobs, numClasses: number): void {
  for (const key of Object.keys(knobs)) {
    if (!knobFields.has(key)) throw new TypeError(`knobs has an unknown field '${key}'`);
  }
  assertClassVector(knobs.epsilon, 'epsilon', numClasses);
  assertClassVector(knobs.naturalWeight, 'naturalWeight', numClasses);
  assertClassVector(knobs.robustWeight, 'robustWeight', numClasses);
  if (knobs.temperature !== undefined) {
    for (const key of Object.keys(knobs.temperature)) {
      if (!temperatureFields.has(key)) throw new TypeError(`knobs.temperature has an unknown field '${key}'`);
    }
    assertClassVector(knobs.temperature.natural, 'temperature.natural', numClasses);
    assertClassVector(knobs.temperature.adversarial, 'temperature.adversarial', numClasses);
  }
  if (knobs.reduction !== undefined && !reductions.has(knobs.reduction)) {
    throw new TypeError(`knobs.reduction is '${String(knobs.reduction)}', expected 'mean', 'weight-normalised' or 'joint-weight-normalised'`);
  }
}

function assertClassVector(vector: ClassVector | undefined, name: string, numClasses: number): void {
  if (vector === undefined) return;
  if (!Array.isArray(vector)) throw new TypeError(`knobs.${name} is not an array`);
  if (vector.length !== numClasses) {
    throw new RangeError(`knobs.${name} has ${vector.length} entries, expected numClasses = ${numClasses}`);
  }
  vector.forEach((value, classIndex) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RangeError(`knobs.${name}[${classIndex}] is ${String(value)}, expected a finite number`);
    }
  });
}

/** The weight vectors a strategy set (absent ones are neutral by definition). */
export function setWeights(knobs: ClassKnobs): { readonly name: string; readonly values: ClassVector }[] {
  const weights: { name: string; values: ClassVector }[] = [];
  if (knobs.naturalWeight !== undefined) weights.push({ name: 'naturalWeight', values: knobs.naturalWeight });
  if (knobs.robustWeight !== undefined) weights.push({ name: 'robustWeight', values: knobs.robustWeight });
  return weights;
}

/** Every class vector a strategy set: the weights, `epsilon` and each temperature vector. */
export function setVectors(knobs: ClassKnobs): { readonly name: string; readonly values: ClassVector }[] {
  const vectors = setWeights(knobs);
  if (knobs.epsilon !== undefined) vectors.push({ name: 'epsilon', values: knobs.epsilon });
  if (knobs.temperature?.natural !== undefined) vectors.push({ name: 'temperature.natural', values: knobs.temperature.natural });
  if (knobs.temperature?.adversarial !== undefined) vectors.push({ name: 'temperature.adversarial', values: knobs.temperature.adversarial });
  return vectors;
}
