import type { Attack, AttackInit, AttackRequest, ModelMode } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { imageMask, misclassified, objectiveGradient } from '../iterative/objective-gradient.js';
import { assertInteger, validateAttackRequest } from '../iterative/validate-request.js';
import { ascentDirection, perSampleRadius, projectOntoBall, startInBall } from '../norms/ball-geometry.js';
import { crossEntropyObjective } from '../objectives/cross-entropy-objective.js';

/**
 * When a sample stops iterating: `'misclassified'` (official FAT `earlystop.py`: misclassified
 * with no budget left) or `'budget-exhausted'` (CFA's `fat_loss`: as soon as the budget is 0, even
 * if the sample is currently classified correctly). docs/methods/fat.md.
 */
export type FatFreezeRule = 'misclassified' | 'budget-exhausted';

/** Options of {@link createFatAttack}; every field has a default (CFA's FAT mode, docs/methods/fat.md). */
export interface FatAttackOptions {
  /** K, the maximum number of steps (default 10). */
  readonly steps?: number;
  /** α in input units (default 2/255). */
  readonly stepSize?: number;
  /** τ, how many misclassified steps a sample may still take before it is frozen (default 3). */
  readonly budget?: number;
  /** ω, the scale of the N(0, 1) noise added at every step (default 0; official FAT uses 0.001). */
  readonly noise?: number;
  /** Default 'uniform'. */
  readonly init?: AttackInit;
  /** Default 'budget-exhausted' (CFA). */
  readonly freezeRule?: FatFreezeRule;
  /** Default 'eval' (official FAT); CFA's FAT mode attacks in 'train' mode. */
  readonly modelMode?: ModelMode;
}

/** FAT defaults: CFA's FAT mode except the model mode (docs/methods/fat.md). */
export const fatAttackDefaults = {
  steps: 10,
  stepSize: 2 / 255,
  budget: 3,
  noise: 0,
  init: 'uniform',
  freezeRule: 'budget-exhausted',
  modelMode: 'eval',
} as const satisfies Required<FatAttackOptions>;

/**
 * Early-stopped PGD of Friendly Adversarial Training (Zhang et al., ICML 2020; docs/methods/fat.md),
 * L∞, on a per-sample ε. Before each step the model classifies the current point: a
 * misclassified sample with budget left spends one unit and keeps going; a sample meeting the
 * freeze rule keeps its current point for the remaining steps. Step:
 * x' ← Proj(x' + α·sign(∇CE) + ω·N(0, 1)). Per-sample bookkeeping stays on the device. Id `fat`.
 */
export function createFatAttack(options: FatAttackOptions = {}): Attack {
  const settings = { ...fatAttackDefaults, ...definedOnly(options) };
  assertInteger('fat', 'steps', settings.steps, 1);
  assertInteger('fat', 'budget', settings.budget, 0);
  if (!(settings.stepSize >= 0)) throw new RangeError(`fat: stepSize must be ≥ 0, got ${settings.stepSize}`);
  if (!(settings.noise >= 0)) throw new RangeError(`fat: noise must be ≥ 0, got ${settings.noise}`);
  return { specificationVersion: 'v1', id: 'fat', norm: 'linf', perturb: (request) => runFat(request, settings) };
}

function definedOnly(options: FatAttackOptions): Partial<Required<FatAttackOptions>> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<Required<FatAttackOptions>>;
}

function runFat(request: AttackRequest, settings: Required<FatAttackOptions>): tf.Tensor4D {
  validateAttackRequest(request, 'fat');
  const { model, inputs, labels } = request;
  const batch = inputs.shape[0];
  const context = {
    model,
    labels,
    objective: request.objective ?? crossEntropyObjective,
    training: settings.modelMode === 'train',
  };
  const radius = perSampleRadius(request.epsilon);
  let adversarial = startInBall('linf', inputs, radius, settings.init, request.seed, model.bounds);
  let budget: tf.Tensor1D = tf.fill([batch], settings.budget);
  let frozen: tf.Tensor1D = tf.zeros([batch], 'bool');
  try {
    for (let step = 0; step < settings.steps; step++) {
      const evaluated = objectiveGradient(adversarial, context);
      const next = tf.tidy(() => {
        const wrong = misclassified(evaluated.logits, labels);
        const exhausted = tf.lessEqual(budget, 0);
        const freezeNow = settings.freezeRule === 'misclassified' ? tf.logicalAnd(wrong, exhausted) : exhausted;
        const nowFrozen = tf.logicalOr(frozen, freezeNow) as tf.Tensor1D;
        const spend = tf.logicalAnd(tf.logicalAnd(wrong, tf.logicalNot(nowFrozen)), tf.logicalNot(exhausted));
        let stepped = tf.add(adversarial, tf.mul(ascentDirection('linf', evaluated.gradient), settings.stepSize));
        if (settings.noise > 0) {
          stepped = tf.add(stepped, tf.mul(tf.randomNormal(inputs.shape, 0, 1, 'float32', request.seed + step + 1), settings.noise));
        }
        const projected = projectOntoBall('linf', stepped as tf.Tensor4D, inputs, radius, model.bounds);
        return {
          adversarial: tf.where(imageMask(nowFrozen), adversarial, projected) as tf.Tensor4D,
          budget: tf.sub(budget, tf.cast(spend, 'float32')) as tf.Tensor1D,
          frozen: nowFrozen,
        };
      });
      tf.dispose([evaluated.loss, evaluated.gradient, evaluated.logits, adversarial, budget, frozen]);
      ({ adversarial, budget, frozen } = next);
    }
    return adversarial;
  } finally {
    tf.dispose([radius, budget, frozen]);
  }
}
