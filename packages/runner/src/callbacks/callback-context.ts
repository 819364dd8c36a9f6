import type { SuiteAttack } from '@robustfair/attacks';
import { captureModelWeights, deriveSeed, evaluateClassStatistics, restoreModelWeights } from '@robustfair/core';
import type { AttackRegistry, CallbackContext, Dataset, Model, RobustAccuracyProbe } from '@robustfair/spec';
import { createEvaluationAttacks } from '../config/evaluation-attacks.js';
import { evaluationAttackSchema, type ExperimentSpec } from '../config/experiment-spec.js';

/** One batch of a measurement during training, for progress events. */
export interface ProbeProgress {
  readonly purpose: 'selection' | 'averaging';
  readonly split: 'validation' | 'test';
  readonly attack: string;
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
}

export interface CallbackContextOptions {
  readonly spec: ExperimentSpec;
  readonly model: Model;
  readonly dataset: Dataset;
  readonly attacks: AttackRegistry;
  /** The callback's place in the config (`selection`, `callbacks.0`): its seed derives from it. */
  readonly field: string;
  /** After each batch of a measurement whose purpose progress events know. */
  readonly onBatch?: (progress: ProbeProgress) => void;
}

/**
 * What the arm gives a callback plugin (decision 7): its student's weights as copies of plain
 * numbers, and robust-accuracy probes on a held-out split, each under an evaluation attack made
 * like the config's evaluation attacks (seeded by the arm's seed, 'monitor', the role and the
 * attack's name; each measurement by the arm's seed plus the epoch).
 */
export function createCallbackContext(options: CallbackContextOptions): CallbackContext {
  const { spec, model, dataset } = options;
  const epsilon = spec.evaluation.epsilon ?? spec.training.epsilon;
  return {
    seed: deriveSeed(spec.seed, 'callback', options.field),
    weights: { capture: () => captureModelWeights(model), restore: (snapshot) => restoreModelWeights(model, snapshot) },
    robustAccuracyProbe(attack: unknown, role: string): RobustAccuracyProbe {
      const config = evaluationAttackSchema.parse(attack);
      const [made] = createEvaluationAttacks([config], options.attacks, (name) => ({ seed: deriveSeed(spec.seed, 'monitor', role, name) })) as SuiteAttack[];
      if (!made) throw new Error('createEvaluationAttacks returned no attack');
      return {
        attack: made.id,
        async measure({ split, epoch, purpose }) {
          if (dataset.size(split) === 0) throw new Error(`selection/weight averaging reads the '${split}' split, but dataset '${dataset.id}' has none`);
          const known = purpose === 'selection' || purpose === 'averaging' ? purpose : undefined;
          const sums = await evaluateClassStatistics({
            model,
            dataset,
            split,
            signals: ['robust-error'],
            attack: made.attack,
            epsilon,
            batchSize: spec.evaluation.batchSize,
            seed: spec.seed + epoch,
            ...(options.onBatch && known
              ? { onBatch: (batch: number, batches: number) => options.onBatch?.({ purpose: known, split, attack: made.id, epoch, batch, batches }) }
              : {}),
          });
          const errors = sums.sums['robust-error'] ?? [];
          const perClass = sums.count.map((count, c) => (count > 0 ? 1 - (errors[c] ?? 0) / count : Number.NaN));
          const total = sums.count.reduce((a, b) => a + b, 0);
          const average = 1 - errors.reduce((a, b) => a + b, 0) / total;
          return { average, worstClass: Math.min(...perClass.filter((value) => !Number.isNaN(value))) };
        },
      };
    },
  };
}
