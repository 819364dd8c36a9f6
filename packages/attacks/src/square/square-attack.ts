import { createSeededRandom } from '@robustfair/core';
import type { Attack, AttackRequest, ModelMode } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { imageMask, misclassified } from '../iterative/objective-gradient.js';
import { assertInteger, validateAttackRequest } from '../iterative/validate-request.js';
import { perSampleRadius, projectOntoBall } from '../norms/ball-geometry.js';
import { classificationMargin } from '../objectives/rank-selectors.js';

/** Options of {@link createSquareAttack}; every field has a default. */
export interface SquareAttackOptions {
  /** Query budget: one forward pass of the batch per query (default 5000, AutoAttack `standard`). */
  readonly queries?: number;
  /** p_init, the initial fraction of pixels a square covers (default 0.8). */
  readonly initialFraction?: number;
  /** Batch-norm mode of the attacked model (default 'eval'). */
  readonly modelMode?: ModelMode;
  /**
   * Check every this many queries whether any sample is still robust, and stop early if none is
   * (default 50). This is the attack's only read-back; it saves most of the budget on weak models.
   */
  readonly earlyStopEvery?: number;
}

/** Square defaults (AutoAttack `standard`, docs/methods/autoattack.md). */
export const squareAttackDefaults = {
  queries: 5000,
  initialFraction: 0.8,
  modelMode: 'eval',
  earlyStopEvery: 50,
} as const satisfies Required<SquareAttackOptions>;

/**
 * The p schedule of Square (docs/methods/autoattack.md, `p_selection` without rescaling): p_init up to query
 * 10, then halved at 10, 50, 200, 500, 1000, 2000, 4000, 6000 and 8000 queries.
 */
export function squareFraction(query: number, initialFraction: number): number {
  const thresholds = [10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000];
  const divisors = [2, 4, 8, 16, 32, 64, 128, 256, 512];
  let fraction = initialFraction;
  thresholds.forEach((threshold, index) => {
    if (query > threshold) fraction = initialFraction / (divisors[index] ?? 1);
  });
  return fraction;
}

/** Side of the square for fraction p on an H×W image: max(round(√(p·H·W)), 1), at most H − 1 (square.py). */
export function squareSide(fraction: number, height: number, width: number): number {
  return Math.max(Math.min(Math.max(Math.round(Math.sqrt(fraction * height * width)), 1), height - 1), 1);
}

/**
 * Square Attack, L∞ (Andriushchenko et al., ECCV 2020; docs/methods/autoattack.md): a score-based random
 * search that never reads a gradient, so gradient masking does not stop it. Starts from random
 * vertical stripes (each sample, channel and column ±ε), then for each query draws ONE square
 * (location and per-channel ±2ε signs shared by the batch, side from the p schedule), adds it to
 * the best point, projects, and keeps it per sample when the margin loss z_y − max_{j≠y} z_j
 * decreased or the sample became misclassified. Samples already misclassified stop changing.
 * With `request.objective`, the loss is −objective (misclassification still always accepts).
 * Locations and signs come from `request.seed`. Id `square`.
 *
 * @example
 * const adversarial = createSquareAttack({ queries: 1000 }).perturb({ model, inputs, labels, epsilon, seed });
 */
export function createSquareAttack(options: SquareAttackOptions = {}): Attack {
  const settings = {
    queries: options.queries ?? squareAttackDefaults.queries,
    initialFraction: options.initialFraction ?? squareAttackDefaults.initialFraction,
    modelMode: options.modelMode ?? squareAttackDefaults.modelMode,
    earlyStopEvery: options.earlyStopEvery ?? squareAttackDefaults.earlyStopEvery,
  };
  assertInteger('square', 'queries', settings.queries, 1);
  assertInteger('square', 'earlyStopEvery', settings.earlyStopEvery, 1);
  if (!(settings.initialFraction > 0 && settings.initialFraction <= 1)) {
    throw new RangeError(`square: initialFraction must be in (0, 1], got ${settings.initialFraction}`);
  }
  return {
    specificationVersion: 'v1',
    id: 'square',
    norm: 'linf',
    perturb: (request) => runSquare(request, settings),
  };
}

/** Queries between progress reports (a query is one forward pass of the batch). */
const squareProgressEvery = 50;

function runSquare(request: AttackRequest, settings: Required<SquareAttackOptions>): tf.Tensor4D {
  validateAttackRequest(request, 'square');
  const { model, inputs, labels } = request;
  const [batch, height, width, channels] = inputs.shape;
  const training = settings.modelMode === 'train';
  const random = createSeededRandom(request.seed);
  const radius = perSampleRadius(request.epsilon);
  // Each sample's ε box intersected with the model's bounds, once: clamping into it is exactly
  // projectOntoBall's clamp into [x − ε, x + ε] then into the bounds (x lies in both), without
  // its three extra kernel calls per query.
  const box = tf.tidy(() => ({
    lower: tf.maximum(tf.sub(inputs, radius), model.bounds[0]) as tf.Tensor4D,
    upper: tf.minimum(tf.add(inputs, radius), model.bounds[1]) as tf.Tensor4D,
  }));
  /** Margin (≤ 0: misclassified) and the loss to minimise at a point. */
  const score = (point: tf.Tensor4D) =>
    tf.tidy(() => {
      const logits = model.logits(point, { training });
      // computed once: the margin loss is also the acceptance margin (a dozen kernel calls per query)
      const classMargin = classificationMargin(logits, labels);
      const margin = tf.where(misclassified(logits, labels), tf.fill([batch], -1), tf.maximum(classMargin, 1e-30));
      const loss = request.objective ? tf.neg(request.objective(logits, labels)) : classMargin;
      return { margin: margin as tf.Tensor1D, loss: loss as tf.Tensor1D };
    });
  let best = tf.tidy(() => {
    const stripes = tf.sub(tf.mul(tf.floor(tf.mul(tf.randomUniform([batch, 1, width, channels], 0, 1, 'float32', request.seed), 2)), 2), 1);
    return projectOntoBall('linf', tf.add(inputs, tf.mul(stripes, radius)) as tf.Tensor4D, inputs, radius, model.bounds);
  });
  let { margin, loss } = score(best);
  try {
    for (let query = 0; query < settings.queries; query++) {
      if (query > 0 && query % settings.earlyStopEvery === 0) {
        // a misclassified sample never changes again, so once none is robust the rest is wasted
        const anyRobust = tf.tidy(() => tf.any(tf.greater(margin, 0)));
        const stillRobust = anyRobust.dataSync()[0] === 1;
        anyRobust.dispose();
        if (!stillRobust) break;
      }
      const side = squareSide(squareFraction(query, settings.initialFraction), height, width);
      // square.py draws the corner from [0, H − s − 1] (an off-by-one that never touches the last
      // row and column); we draw from [0, H − s] so that every pixel can be updated.
      const top = random.int(0, height - side);
      const left = random.int(0, width - side);
      const signs = Array.from({ length: channels }, () => (random.float() < 0.5 ? -1 : 1));
      const window = new Float32Array(height * width * channels);
      for (let row = top; row < top + side; row++) {
        for (let column = left; column < left + side; column++) {
          for (let channel = 0; channel < channels; channel++) window[(row * width + column) * channels + channel] = 2 * (signs[channel] ?? 1);
        }
      }
      const previous = { best, margin, loss };
      const next = tf.tidy(() => {
        const delta = tf.mul(tf.tensor4d(window, [1, height, width, channels]), radius);
        const candidate = tf.minimum(tf.maximum(tf.add(previous.best, delta), box.lower), box.upper) as tf.Tensor4D;
        const scored = score(candidate);
        const active = tf.greater(previous.margin, 0);
        const accept = tf.logicalAnd(active, tf.logicalOr(tf.less(scored.loss, previous.loss), tf.lessEqual(scored.margin, 0))) as tf.Tensor1D;
        return {
          best: tf.where(imageMask(accept), candidate, previous.best) as tf.Tensor4D,
          margin: tf.where(accept, scored.margin, previous.margin) as tf.Tensor1D,
          loss: tf.where(accept, scored.loss, previous.loss) as tf.Tensor1D,
        };
      });
      tf.dispose([previous.best, previous.margin, previous.loss]);
      ({ best, margin, loss } = next);
      if ((query + 1) % squareProgressEvery === 0) request.onProgress?.({ step: `square query ${query + 1}/${settings.queries}` });
    }
    return best;
  } finally {
    tf.dispose([margin, loss, radius, box.lower, box.upper]);
  }
}
