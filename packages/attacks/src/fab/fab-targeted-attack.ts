import type { Attack, AttackRequest, ModelMode } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { assertInteger, validateAttackRequest } from '../iterative/validate-request.js';
import { perSampleRadius, projectOntoBall } from '../norms/ball-geometry.js';
import { labelLogit } from '../objectives/rank-selectors.js';
import { createProjectionWorkspace, projectionLinfInto } from './projection-linf.js';

/** Options of {@link createFabTargetedAttack}; every field has a default. */
export interface FabTargetedAttackOptions {
  /** Iterations per target (default 100, AutoAttack `standard`). */
  readonly steps?: number;
  /** Target classes: the 2nd … (targets+1)-th highest clean logits (default 9; at most numClasses − 1). */
  readonly targets?: number;
  /** α_max, the largest weight of the step from the original point (default 0.1). */
  readonly alphaMax?: number;
  /** η, the overshoot of each projection step (default 1.05). */
  readonly overshoot?: number;
  /** β, how far back toward the original point a found adversarial point is pulled (default 0.9). */
  readonly backtrack?: number;
  /** Default 'eval'. */
  readonly modelMode?: ModelMode;
}

/** FAB-T defaults (AutoAttack `standard`, docs/methods/autoattack.md). */
export const fabTargetedAttackDefaults = {
  steps: 100,
  targets: 9,
  alphaMax: 0.1,
  overshoot: 1.05,
  backtrack: 0.9,
  modelMode: 'eval',
} as const satisfies Required<FabTargetedAttackOptions>;

/**
 * Targeted Fast Adaptive Boundary attack, L∞ (Croce and Hein, ICML 2020; docs/methods/autoattack.md). A
 * minimum-norm attack: per target t (2nd, 3rd, … highest clean logit) it linearises
 * g = z_t − z_y at the current point, projects both the current point and the original one onto
 * {g = 0} inside the box with the minimal L∞ step, mixes the two steps, and when the model is
 * fooled keeps the point if its L∞ distance is the smallest so far, then backtracks toward the
 * original. A sample counts as broken only when that distance is within its own ε; otherwise
 * its clean input is returned. Samples misclassified on the clean input are returned as they are.
 *
 * It maximises no objective, so `request.objective` is ignored. The projection runs on
 * read-back rows (one read-back of the gradient and one of the predictions per iteration):
 * FAB is an evaluation attack, where read-backs are allowed. Id `fab-t`.
 */
export function createFabTargetedAttack(options: FabTargetedAttackOptions = {}): Attack {
  const settings = {
    steps: options.steps ?? fabTargetedAttackDefaults.steps,
    targets: options.targets ?? fabTargetedAttackDefaults.targets,
    alphaMax: options.alphaMax ?? fabTargetedAttackDefaults.alphaMax,
    overshoot: options.overshoot ?? fabTargetedAttackDefaults.overshoot,
    backtrack: options.backtrack ?? fabTargetedAttackDefaults.backtrack,
    modelMode: options.modelMode ?? fabTargetedAttackDefaults.modelMode,
  };
  assertInteger('fab-t', 'steps', settings.steps, 1);
  assertInteger('fab-t', 'targets', settings.targets, 1);
  return { specificationVersion: 'v1', id: 'fab-t', norm: 'linf', perturb: (request) => runFabTargeted(request, settings) };
}

/** Steps between progress reports inside one target. */
const fabProgressEvery = 10;

function runFabTargeted(request: AttackRequest, settings: Required<FabTargetedAttackOptions>): tf.Tensor4D {
  validateAttackRequest(request, 'fab-t');
  const { model, inputs, labels } = request;
  const numClasses = model.numClasses;
  if (settings.targets > numClasses - 1) {
    throw new RangeError(`fab-t: targets (${settings.targets}) must be at most numClasses − 1 (${numClasses - 1}); the model has ${numClasses} classes`);
  }
  const training = settings.modelMode === 'train';
  const [batch, height, width, channels] = inputs.shape;
  const features = height * width * channels;
  const [lower, upper] = model.bounds;
  const span = upper - lower;
  // FAB's projection works in the unit box; map pixels u = (x − lower)/span and back.
  const original = toUnitBox(inputs.dataSync(), lower, span);
  const labelValues = Array.from(labels.dataSync());
  const epsilon = Array.from(request.epsilon.dataSync(), (value) => value / span);
  const clean = tf.tidy(() => {
    const logits = model.logits(inputs, { training });
    return { ranking: tf.topk(logits, settings.targets + 1).indices, correct: tf.equal(tf.argMax(logits, 1), tf.cast(labels, 'int32')) };
  });
  const ranking = clean.ranking.arraySync() as number[][];
  const cleanCorrect = Array.from(clean.correct.dataSync(), Boolean);
  tf.dispose([clean.ranking, clean.correct]);
  const result = original.slice();
  const done = new Array<boolean>(batch).fill(false);
  // `new Float32Array(float64Array)` converts natively (Float32Array.from walks an iterator)
  const toTensor = (unit: Float64Array) =>
    tf.tidy(() => tf.add(tf.mul(tf.tensor4d(new Float32Array(unit), [batch, height, width, channels]), span), lower) as tf.Tensor4D);
  const gradient = new Float64Array(batch * features);
  const workspace = createProjectionWorkspace(features);

  for (let target = 1; target <= settings.targets; target++) {
    const active = cleanCorrect.map((correct, index) => correct && !done[index]);
    if (!active.some(Boolean)) break;
    const targetLabels = tf.tensor1d(ranking.map((row) => row[target] ?? 0), 'int32');
    const current = original.slice();
    const best = original.slice();
    const bestDistance = new Array<number>(batch).fill(Number.POSITIVE_INFINITY);
    try {
      for (let step = 0; step < settings.steps; step++) {
        const point = toTensor(current);
        const evaluated = tf.tidy(() => {
          let values: tf.Tensor1D | undefined;
          const grad = tf.grad((x: tf.Tensor) => {
            const logits = model.logits(x as tf.Tensor4D, { training });
            // keep() lets the per-sample g = z_t − z_y survive the gradient's scope; disposed below
            values = tf.keep(tf.sub(labelLogit(logits, targetLabels), labelLogit(logits, labels)) as tf.Tensor1D);
            return tf.sum(values);
          })(point);
          return { values: values as unknown as tf.Tensor1D, grad };
        });
        const difference = Array.from(evaluated.values.dataSync());
        const gradientValues = evaluated.grad.dataSync();
        for (let i = 0; i < gradient.length; i++) gradient[i] = gradientValues[i]! * span;
        tf.dispose([evaluated.values, evaluated.grad]);
        point.dispose();
        for (let sample = 0; sample < batch; sample++) {
          if (!active[sample]) continue;
          const offset = sample * features;
          const normal = gradient.subarray(offset, offset + features);
          const here = current.subarray(offset, offset + features);
          const start = original.subarray(offset, offset + features);
          let dot = 0;
          for (let i = 0; i < features; i++) dot += normal[i]! * here[i]!;
          const hyperplane = -(difference[sample] ?? 0) + dot;
          const fromCurrent = projectionLinfInto(workspace, here, normal, hyperplane, workspace.fromCurrent);
          const fromStart = projectionLinfInto(workspace, start, normal, hyperplane, workspace.fromStart);
          const a1 = Math.max(maxAbs(fromCurrent), 1e-8);
          const a2 = Math.max(maxAbs(fromStart), 1e-8);
          const alpha = Math.min(Math.max(a1 / (a1 + a2), 0), settings.alphaMax);
          const overshoot = settings.overshoot;
          for (let i = 0; i < features; i++) {
            const mixed = (here[i]! + overshoot * fromCurrent[i]!) * (1 - alpha) + (start[i]! + overshoot * fromStart[i]!) * alpha;
            here[i] = Math.min(Math.max(mixed, 0), 1);
          }
        }
        const moved = toTensor(current);
        const predicted = tf.tidy(() => tf.argMax(model.logits(moved, { training }), 1));
        const predictions = Array.from(predicted.dataSync());
        tf.dispose([moved, predicted]);
        for (let sample = 0; sample < batch; sample++) {
          if (!active[sample] || predictions[sample] === labelValues[sample]) continue;
          const offset = sample * features;
          let distance = 0;
          for (let i = 0; i < features; i++) distance = Math.max(distance, Math.abs(current[offset + i]! - original[offset + i]!));
          if (distance < (bestDistance[sample] ?? Number.POSITIVE_INFINITY)) {
            bestDistance[sample] = distance;
            best.set(current.subarray(offset, offset + features), offset);
          }
          for (let i = 0; i < features; i++) {
            current[offset + i] = original[offset + i]! + (current[offset + i]! - original[offset + i]!) * settings.backtrack;
          }
        }
        if ((step + 1) % fabProgressEvery === 0 && step + 1 < settings.steps) {
          request.onProgress?.({ step: `fab-t target ${target}/${settings.targets} step ${step + 1}/${settings.steps}` });
        }
      }
    } finally {
      targetLabels.dispose();
    }
    for (let sample = 0; sample < batch; sample++) {
      if (active[sample] && (bestDistance[sample] ?? Number.POSITIVE_INFINITY) <= (epsilon[sample] ?? 0)) {
        done[sample] = true;
        const offset = sample * features;
        result.set(best.subarray(offset, offset + features), offset);
      }
    }
    request.onProgress?.({ step: `fab-t target ${target}/${settings.targets} done` });
  }
  // distances were checked in float64; projecting the float32 result keeps it inside each ε
  // ball despite rounding (a change of at most one float32 ulp)
  const radius = perSampleRadius(request.epsilon);
  const candidate = toTensor(result);
  try {
    return projectOntoBall('linf', candidate, inputs, radius, model.bounds);
  } finally {
    tf.dispose([radius, candidate]);
  }
}

/** Pixels mapped to the unit box, u = (x − lower)/span, in float64. */
function toUnitBox(values: ArrayLike<number>, lower: number, span: number): Float64Array {
  const unit = new Float64Array(values.length);
  for (let i = 0; i < unit.length; i++) unit[i] = (values[i]! - lower) / span;
  return unit;
}

function maxAbs(values: Float64Array): number {
  let largest = 0;
  for (const value of values) largest = Math.max(largest, Math.abs(value));
  return largest;
}
