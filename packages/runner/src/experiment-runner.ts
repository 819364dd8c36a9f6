import { cleanRowId, runEvaluationSuite, type EvaluationReport, type SuiteAttack } from '@robustfair/attacks';
import { deriveSeed, fit, type EpochRecord, type FitOptions, type FitResult } from '@robustfair/core';
import {
  AttackRegistry,
  CallbackRegistry,
  Dataset,
  FairnessStrategy,
  StudentModel,
  TrainingAttack,
  TrainingDivergedError,
  TrainingObjective,
  type Attack,
  type Distiller,
  type Model,
  type TrainingCallback,
} from '@robustfair/spec';
import { inject, injectable } from 'inversify';
import { summarizeRow, type ClassSummary } from './evaluation/summarize-row.js';
import { createEvaluationAttacks } from './config/evaluation-attacks.js';
import { createArmCallbacks, monitorRecord, type MonitorRecord } from './callbacks/arm-callbacks.js';
import { createCallbackContext } from './callbacks/callback-context.js';
import { reportProgress } from './progress/progress-reporter.js';
import { ArmDistiller, EvaluationAttacks, ExperimentSpec, ProgressReporter, ResolvedOptions, TeacherModel } from './tokens.js';

/** What evaluating an arm gives: per-class counts and summaries, clean and per attack. */
export interface ArmEvaluation {
  readonly split: 'test' | 'validation';
  readonly epsilon: number;
  readonly clean: ClassSummary;
  /** Every attack by name, then `worst-case` (per sample: correct clean and under every attack). */
  readonly attacks: Readonly<Record<string, ClassSummary>>;
  /** Sanity flags raised by the suite (gradient masking, randomness, softmax outputs). */
  readonly flags: readonly { readonly id: string; readonly message: string }[];
}

export interface ArmRun {
  readonly training: FitResult;
  readonly evaluation: ArmEvaluation;
  /** The suite's full report (per-sample results), written as evaluation.json / evaluation.csv. */
  readonly report: EvaluationReport;
  /** Checkpoint selection and weight averaging, when configured. */
  readonly monitor?: MonitorRecord;
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
    @inject(EvaluationAttacks) private readonly evaluationAttacks: readonly SuiteAttack[],
    @inject(ProgressReporter) private readonly reporter: ProgressReporter,
    @inject(ArmDistiller) private readonly distiller: Distiller | null,
    @inject(TeacherModel) private readonly teacher: Model | null,
    @inject(AttackRegistry) private readonly attackRegistry: AttackRegistry,
    @inject(CallbackRegistry) private readonly callbackRegistry: CallbackRegistry,
    @inject(ResolvedOptions) private readonly resolved: Map<string, { id: string; options: unknown }>,
  ) {}

  /** `fit`, with a divergence error naming the arm. */
  private async fitLabelled(label: string, options: FitOptions): Promise<FitResult> {
    try {
      return await fit(options);
    } catch (error) {
      if (error instanceof TrainingDivergedError && error.label === undefined) throw new TrainingDivergedError(error.divergence, label);
      throw error;
    }
  }

  async run(
    label: string,
    continuation: Pick<FitOptions, 'checkpoint' | 'resumeFrom'> & { readonly extraCallbacks?: readonly TrainingCallback[] } = {},
  ): Promise<ArmRun> {
    const { extraCallbacks = [], ...resume } = continuation;
    const callbacks = this.armCallbacks(label);
    const validation = this.validationAttack();
    const started = performance.now();
    // A resumed run's earlier epochs ran in another process: their recorded seconds count too
    // (the time between those epochs, checkpoint writes and the like, is not recorded, so lost).
    const earlierSeconds = continuation.resumeFrom?.records.reduce((sum, record) => sum + record.seconds, 0) ?? 0;
    if (continuation.resumeFrom) this.reporter.info(`[${label}] resuming after epoch ${continuation.resumeFrom.completedEpochs}`);
    const training = await this.fitLabelled(label, {
      model: this.model,
      dataset: this.dataset,
      attack: this.attack,
      ...(this.distiller && this.teacher ? { distiller: this.distiller, teacher: this.teacher } : { objective: this.objective }),
      fairness: this.fairness,
      epochs: this.spec.training.epochs,
      batchSize: this.spec.training.batchSize,
      epsilon: this.spec.training.epsilon,
      optimizer: this.spec.training.optimizer,
      schedule: this.spec.training.schedule,
      seed: this.spec.seed,
      logEvery: this.spec.training.logEvery,
      onNonFinite: this.spec.training.onNonFinite,
      // Always recorded, so every arm's results carry class-wise training robustness.
      recordSignals: ['robust-error', 'robust-loss'],
      callbacks: [this.progressCallback(label), ...callbacks, ...extraCallbacks],
      validation: {
        attack: validation.attack,
        batchSize: this.spec.evaluation.batchSize,
        onBatch: ({ epoch, batch, batches }) =>
          reportProgress(this.reporter, {
            scope: 'evaluation',
            arm: label,
            current: batch,
            total: batches,
            attack: validation.name,
            split: 'validation',
            batch,
            batches,
            during: { epoch, purpose: 'validation' },
          }),
      },
      ...resume,
    });
    const monitor = monitorRecord(this.spec, callbacks);
    if (training.diverged) this.reporter.info(`[${label}] ${training.stopped ?? 'training diverged'} (evaluating the last finite weights; the result is flagged 'diverged')`);
    if (monitor?.selection.chosenEpoch !== undefined && monitor.selection.chosenEpoch !== null) {
      this.reporter.info(`[${label}] selected the weights of epoch ${monitor.selection.chosenEpoch + 1} (${monitor.selection.rule} on ${monitor.selection.split})`);
    }
    const trained = performance.now();
    const { evaluation, report } = await this.evaluate(label);
    return {
      training,
      evaluation,
      report,
      ...(monitor ? { monitor } : {}),
      seconds: { training: earlierSeconds + (trained - started) / 1000, evaluation: (performance.now() - trained) / 1000 },
    };
  }

  /**
   * The evaluation suite on the evaluation split, model in eval mode: clean, every attack and the
   * per-sample worst case, class-wise, with bootstrap intervals and sanity flags.
   */
  async evaluate(label: string): Promise<{ readonly evaluation: ArmEvaluation; readonly report: EvaluationReport }> {
    const { split, batchSize, bootstrapResamples } = this.spec.evaluation;
    const epsilon = this.spec.evaluation.epsilon ?? this.spec.training.epsilon;
    const rowIds = [cleanRowId, ...this.evaluationAttacks.map((entry) => entry.id)];
    const report = await runEvaluationSuite({
      model: this.model,
      dataset: this.dataset,
      split,
      attacks: this.evaluationAttacks,
      epsilon,
      batchSize,
      seed: this.spec.seed,
      bootstrap: { resamples: bootstrapResamples },
      onProgress: ({ row, batch, batches, step }) => {
        // The suite runs every row (clean, then each attack) on a batch before the next batch.
        const index = Math.max(0, rowIds.indexOf(row));
        reportProgress(this.reporter, {
          scope: 'evaluation',
          arm: label,
          current: (batch - 1) * rowIds.length + index + (step === undefined ? 1 : 0),
          total: batches * rowIds.length,
          attack: row,
          split,
          batch,
          batches,
          ...(step !== undefined && { step }),
        });
      },
    });
    for (const flag of report.flags) this.reporter.info(`[${label}] WARNING ${flag.id}: ${flag.message}`);
    const rows = new Map(report.rows.map((row) => [row.id, summarizeRow(row)]));
    const clean = rows.get(cleanRowId);
    if (!clean) throw new Error('evaluation suite returned no clean row');
    rows.delete(cleanRowId);
    const evaluation: ArmEvaluation = {
      split,
      epsilon,
      clean,
      attacks: Object.fromEntries(rows),
      flags: report.flags.map((flag) => ({ id: flag.id, message: flag.message })),
    };
    return { evaluation, report };
  }

  /**
   * The attack of the strategy's validation pass: the preset the strategy asks for
   * (`requires.validation.attack`, e.g. FRL's PGD-20), else the arm's training attack.
   */
  private validationAttack(): { readonly attack: Attack; readonly name: string } {
    const requested = this.fairness.requires.validation?.attack;
    if (!requested) return { attack: this.attack, name: this.spec.trainingAttack.id };
    const config = { preset: requested.preset, ...(requested.overrides ? { overrides: { ...requested.overrides } } : {}) };
    const [made] = createEvaluationAttacks([config], this.attackRegistry, (name) => ({ seed: deriveSeed(this.spec.seed, 'validation-attack', name) }));
    if (!made) throw new Error('createEvaluationAttacks returned no attack');
    return { attack: made.attack, name: made.id };
  }

  /** The arm's callbacks (`selection`, `weightAveraging`, `callbacks`), their measurements reported as progress. */
  private armCallbacks(label: string): TrainingCallback[] {
    return createArmCallbacks({
      spec: this.spec,
      registry: this.callbackRegistry,
      resolved: this.resolved,
      context: (field) =>
        createCallbackContext({
          spec: this.spec,
          model: this.model,
          dataset: this.dataset,
          attacks: this.attackRegistry,
          field,
          onBatch: ({ purpose, split, attack, epoch, batch, batches }) =>
            reportProgress(this.reporter, { scope: 'evaluation', arm: label, current: batch, total: batches, attack, split, batch, batches, during: { epoch, purpose } }),
        }),
    });
  }

  /** Progress events: one per training batch and one per epoch (with its loss and accuracy). */
  private progressCallback(label: string): TrainingCallback {
    const epochs = this.spec.training.epochs;
    return {
      id: 'progress',
      onBatchEnd: ({ epoch, batch, batches }) => {
        reportProgress(this.reporter, { scope: 'batch', arm: label, current: batch + 1, total: batches, epoch, epochs });
      },
      onEpochEnd: ({ epoch, epochs: total, statistics, metrics, seconds }) => {
        const errors = statistics.sums['robust-error'] ?? [];
        const count = statistics.count.reduce((a, b) => a + b, 0);
        const robustAccuracy = count > 0 ? 1 - errors.reduce((a, b) => a + b, 0) / count : Number.NaN;
        reportProgress(this.reporter, {
          scope: 'epoch',
          arm: label,
          current: epoch + 1,
          total,
          detail: `loss ${(metrics['loss'] ?? Number.NaN).toFixed(4)} train robust acc ${robustAccuracy.toFixed(3)} lr ${(metrics['learningRate'] ?? 0).toPrecision(3)} (${seconds.toFixed(1)} s)`,
        });
      },
    };
  }
}

export type { EpochRecord };
