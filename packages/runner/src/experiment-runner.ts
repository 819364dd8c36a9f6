import { evaluateClassStatistics, fit, type EpochRecord, type FitOptions, type FitResult } from '@robustfair/core';
import {
  Dataset,
  FairnessStrategy,
  StudentModel,
  TrainingAttack,
  TrainingObjective,
  type Attack,
  type ClassCounts,
  type Model,
  type TrainingCallback,
} from '@robustfair/spec';
import { inject, injectable } from 'inversify';
import { summarizeCounts, type ClassSummary } from './evaluation/summarize-counts.js';
import { EvaluationAttacks, ExperimentSpec, ProgressReporter } from './tokens.js';

/** What evaluating an arm gives: per-class counts and summaries, clean and per attack. */
export interface ArmEvaluation {
  readonly split: 'test' | 'validation';
  readonly epsilon: number;
  readonly clean: ClassSummary;
  readonly attacks: Readonly<Record<string, ClassSummary>>;
}

export interface ArmRun {
  readonly training: FitResult;
  readonly evaluation: ArmEvaluation;
  readonly seconds: { readonly training: number; readonly evaluation: number };
}

/**
 * Trains one arm with `fit()` and evaluates it class-wise. Bound inside the arm's child
 * container (never at the root), with an explicit `@inject` on every parameter (B4).
 */
@injectable()
export class ExperimentRunner {
  constructor(
    @inject(ExperimentSpec) private readonly spec: ExperimentSpec,
    @inject(Dataset) private readonly dataset: Dataset,
    @inject(StudentModel) private readonly model: Model,
    @inject(TrainingAttack) private readonly attack: Attack,
    @inject(TrainingObjective) private readonly objective: TrainingObjective,
    @inject(FairnessStrategy) private readonly fairness: FairnessStrategy,
    @inject(EvaluationAttacks) private readonly evaluationAttacks: readonly { readonly name: string; readonly attack: Attack }[],
    @inject(ProgressReporter) private readonly reporter: ProgressReporter,
  ) {}

  async run(label: string, continuation: Pick<FitOptions, 'checkpoint' | 'resumeFrom'> = {}): Promise<ArmRun> {
    const started = performance.now();
    if (continuation.resumeFrom) this.reporter.info(`[${label}] resuming after epoch ${continuation.resumeFrom.completedEpochs}`);
    const training = await fit({
      model: this.model,
      dataset: this.dataset,
      attack: this.attack,
      objective: this.objective,
      fairness: this.fairness,
      epochs: this.spec.training.epochs,
      batchSize: this.spec.training.batchSize,
      epsilon: this.spec.training.epsilon,
      optimizer: this.spec.training.optimizer,
      schedule: this.spec.training.schedule,
      seed: this.spec.seed,
      logEvery: this.spec.training.logEvery,
      // Always recorded, so every arm's results carry class-wise training robustness.
      recordSignals: ['robust-error', 'robust-loss'],
      callbacks: [this.progressCallback(label)],
      validation: { attack: this.attack, batchSize: this.spec.evaluation.batchSize },
      ...continuation,
    });
    const trained = performance.now();
    const evaluation = await this.evaluate(label);
    return {
      training,
      evaluation,
      seconds: { training: (trained - started) / 1000, evaluation: (performance.now() - trained) / 1000 },
    };
  }

  /** Clean and per-attack class-wise accuracy on the evaluation split, model in eval mode. */
  async evaluate(label: string): Promise<ArmEvaluation> {
    const { split, batchSize } = this.spec.evaluation;
    const epsilon = this.spec.evaluation.epsilon ?? this.spec.training.epsilon;
    const counts = (count: readonly number[], errors: readonly number[] | undefined): ClassCounts => ({
      numClasses: count.length,
      count,
      correct: count.map((n, index) => n - (errors?.[index] ?? 0)),
    });
    const clean = await evaluateClassStatistics({
      model: this.model,
      dataset: this.dataset,
      split,
      signals: ['natural-error'],
      batchSize,
      seed: this.spec.seed,
    });
    const attacks: Record<string, ClassSummary> = {};
    for (const { name, attack } of this.evaluationAttacks) {
      const result = await evaluateClassStatistics({
        model: this.model,
        dataset: this.dataset,
        split,
        signals: ['robust-error'],
        attack,
        epsilon,
        batchSize,
        seed: this.spec.seed,
        onBatch: (done, total) => {
          if (done === total) this.reporter.info(`[${label}] evaluated ${name} on ${split} (${total} batches)`);
        },
      });
      attacks[name] = summarizeCounts(counts(result.count, result.sums['robust-error']));
    }
    return { split, epsilon, clean: summarizeCounts(counts(clean.count, clean.sums['natural-error'])), attacks };
  }

  private progressCallback(label: string): TrainingCallback {
    return {
      id: 'progress',
      onEpochEnd: ({ epoch, epochs, statistics, metrics, seconds }) => {
        const errors = statistics.sums['robust-error'] ?? [];
        const total = statistics.count.reduce((a, b) => a + b, 0);
        const robustAccuracy = total > 0 ? 1 - errors.reduce((a, b) => a + b, 0) / total : Number.NaN;
        this.reporter.info(
          `[${label}] epoch ${epoch + 1}/${epochs} loss ${(metrics['loss'] ?? Number.NaN).toFixed(4)} train robust acc ${robustAccuracy.toFixed(3)} lr ${(metrics['learningRate'] ?? 0).toPrecision(3)} (${seconds.toFixed(1)} s)`,
        );
      },
    };
  }
}

export type { EpochRecord };
