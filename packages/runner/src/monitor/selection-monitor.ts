import type { SuiteAttack } from '@robustfair/attacks';
import { captureModelWeights as captureWeights, evaluateClassStatistics, restoreModelWeights as restoreWeights } from '@robustfair/core';
import type { Dataset, Model, TrainingCallback } from '@robustfair/spec';
import type { ExperimentSpec } from '../config/experiment-spec.js';
import { blendInto } from './weight-snapshots.js';

/** What the monitor measured and chose, for results. */
export interface MonitorRecord {
  readonly selection: {
    readonly rule: ExperimentSpec['selection']['rule'];
    readonly split: 'validation' | 'test';
    /** true when selection read the test set (the reference scripts do; results say so). */
    readonly usesTestSet: boolean;
    readonly scores: { readonly epoch: number; readonly average: number; readonly worstClass: number; readonly score: number }[];
    readonly chosenEpoch: number | null;
  };
  readonly weightAveraging: {
    readonly kind: ExperimentSpec['weightAveraging']['kind'];
    /** Epochs whose weights entered the average. */
    readonly updates: number[];
    /** FAWA: the plain model's worst-class validation robust accuracy per epoch. */
    readonly worstClass: { readonly epoch: number; readonly accuracy: number }[];
  };
}

/**
 * Checkpoint selection (ABSLD/CFA "average + worst-class" rule, ALGORITHMS 3(e)) and CFA's EMA /
 * FAWA weight averaging (ALGORITHMS 4), as one training callback with the weight service.
 * `finish()` writes the chosen weights back before the final evaluation: the average when
 * averaging is on (it takes precedence), else the selected epoch's weights.
 */
/** One batch of a per-epoch evaluation: checkpoint selection or FAWA's worst-class check. */
export interface MonitorProgress {
  readonly purpose: 'selection' | 'averaging';
  readonly split: 'validation' | 'test';
  readonly attack: string;
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
}

export function createSelectionMonitor(options: {
  readonly spec: ExperimentSpec;
  readonly model: Model;
  readonly dataset: Dataset;
  readonly selectionAttack: SuiteAttack;
  readonly averagingAttack: SuiteAttack;
  /** Called after each batch of a per-epoch evaluation (progress of long runs). */
  readonly onBatch?: (progress: MonitorProgress) => void;
}) {
  const { spec, model, dataset } = options;
  const { selection, weightAveraging } = spec;
  const epsilon = spec.evaluation.epsilon ?? spec.training.epsilon;
  const record: MonitorRecord = {
    selection: { rule: selection.rule, split: selection.split, usesTestSet: selection.split === 'test', scores: [], chosenEpoch: null },
    weightAveraging: { kind: weightAveraging.kind, updates: [], worstClass: [] },
  };
  let best: { score: number; weights: Float32Array[] } | undefined;
  let average: Float32Array[] | undefined;

  const robustAccuracy = async (split: 'validation' | 'test', attack: SuiteAttack, epoch: number, purpose: MonitorProgress['purpose']) => {
    if (dataset.size(split) === 0) throw new Error(`selection/weight averaging reads the '${split}' split, but dataset '${dataset.id}' has none`);
    const sums = await evaluateClassStatistics({
      model,
      dataset,
      split,
      signals: ['robust-error'],
      attack: attack.attack,
      epsilon,
      batchSize: spec.evaluation.batchSize,
      seed: spec.seed + epoch,
      ...(options.onBatch ? { onBatch: (batch: number, batches: number) => options.onBatch?.({ purpose, split, attack: attack.id, epoch, batch, batches }) } : {}),
    });
    const errors = sums.sums['robust-error'] ?? [];
    const perClass = sums.count.map((count, c) => (count > 0 ? 1 - (errors[c] ?? 0) / count : Number.NaN));
    const total = sums.count.reduce((a, b) => a + b, 0);
    const averageAccuracy = 1 - errors.reduce((a, b) => a + b, 0) / total;
    return { average: averageAccuracy, worstClass: Math.min(...perClass.filter((value) => !Number.isNaN(value))) };
  };

  const callback: TrainingCallback = {
    id: 'selection-monitor',
    onEpochEnd: async ({ epoch }) => {
      if (selection.rule !== 'last' && epoch >= selection.fromEpoch && (epoch - selection.fromEpoch) % selection.every === 0) {
        const measured = await robustAccuracy(selection.split, options.selectionAttack, epoch, 'selection');
        const score = selection.rule === 'average' ? measured.average : measured.average + measured.worstClass;
        record.selection.scores.push({ epoch, ...measured, score });
        if (!best || score > best.score) {
          best = { score, weights: await captureWeights(model) };
          (record.selection as { chosenEpoch: number | null }).chosenEpoch = epoch;
        }
      }
      if (weightAveraging.kind === 'ema') {
        const current = await captureWeights(model);
        if (average) blendInto(average, current, weightAveraging.decay);
        else average = current;
        record.weightAveraging.updates.push(epoch);
      } else if (weightAveraging.kind === 'fawa') {
        // FAWA reads the plain model's worst-class validation robustness (ALGORITHMS 4 gotchas).
        const measured = await robustAccuracy('validation', options.averagingAttack, epoch, 'averaging');
        record.weightAveraging.worstClass.push({ epoch, accuracy: measured.worstClass });
        if (measured.worstClass >= weightAveraging.threshold) {
          const current = await captureWeights(model);
          if (average) blendInto(average, current, weightAveraging.decay);
          else average = current;
          record.weightAveraging.updates.push(epoch);
        }
      }
    },
  };

  return {
    callback,
    record,
    /** Writes the chosen weights into the model; call once, after training. */
    finish(): void {
      if (weightAveraging.kind !== 'none' && average) restoreWeights(model, average);
      else if (selection.rule !== 'last' && best) restoreWeights(model, best.weights);
    },
  };
}
