import { defineCallbackPlugin, type CallbackContext, type CallbackPlugin, type JsonValue, type TrainingCallback } from '@robustfair/spec';
import { z } from 'zod';
import { selectionOptionsSchema } from '../config/experiment-spec.js';
import { snapshotFromJson, snapshotToJson } from './snapshot-json.js';

export type SelectionOptions = z.output<typeof selectionOptionsSchema>;

/** What checkpoint selection measured and chose (result.json `training.monitor.selection`). */
export interface SelectionRecord {
  readonly rule: SelectionOptions['rule'];
  readonly split: 'validation' | 'test';
  /** true when selection read the test set (the reference scripts do; results say so). */
  readonly usesTestSet: boolean;
  readonly scores: { readonly epoch: number; readonly average: number; readonly worstClass: number; readonly score: number }[];
  readonly chosenEpoch: number | null;
}

export interface CheckpointSelection extends TrainingCallback {
  readonly record: SelectionRecord;
}

const stateSchema = z.strictObject({
  scores: z.array(z.strictObject({ epoch: z.number().int(), average: z.number(), worstClass: z.number(), score: z.number() })),
  chosenEpoch: z.number().int().nullable(),
  best: z.strictObject({ score: z.number(), weights: z.array(z.string()) }).nullable(),
});

/**
 * Checkpoint selection (ABSLD/CFA, docs/methods/checkpoint-selection.md): after every `every`-th epoch from
 * `fromEpoch`, the student's robust accuracy on `split` under `attack`; the weights of the epoch
 * with the best score (`average`, or `average-plus-worst`: average + worst-class) are written
 * back when training ends. `rule: 'last'` keeps the last epoch's weights and measures nothing.
 */
export function createCheckpointSelection(options: SelectionOptions, context: CallbackContext): CheckpointSelection {
  const probe = options.rule === 'last' ? undefined : context.robustAccuracyProbe(options.attack, 'selection');
  const record = { rule: options.rule, split: options.split, usesTestSet: options.split === 'test', scores: [] as SelectionRecord['scores'], chosenEpoch: null as number | null };
  let best: { score: number; weights: Float32Array[] } | undefined;
  return {
    id: 'checkpoint-selection',
    record,
    async onEpochEnd({ epoch }) {
      if (!probe || epoch < options.fromEpoch || (epoch - options.fromEpoch) % options.every !== 0) return;
      const measured = await probe.measure({ split: options.split, epoch, purpose: 'selection' });
      const score = options.rule === 'average' ? measured.average : measured.average + measured.worstClass;
      record.scores.push({ epoch, average: measured.average, worstClass: measured.worstClass, score });
      if (!best || score > best.score) {
        best = { score, weights: await context.weights.capture() };
        record.chosenEpoch = epoch;
      }
    },
    onTrainEnd() {
      if (best) context.weights.restore(best.weights);
    },
    state: (): JsonValue => ({
      scores: record.scores,
      chosenEpoch: record.chosenEpoch,
      best: best ? { score: best.score, weights: snapshotToJson(best.weights) } : null,
    }),
    restore(state) {
      const parsed = stateSchema.safeParse(state);
      if (!parsed.success) throw new Error(`the checkpoint state of callback 'checkpoint-selection' is damaged: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      record.scores.splice(0, record.scores.length, ...parsed.data.scores);
      record.chosenEpoch = parsed.data.chosenEpoch;
      best = parsed.data.best ? { score: parsed.data.best.score, weights: snapshotFromJson(parsed.data.best.weights, 'checkpoint-selection best.weights') } : undefined;
    },
  };
}

export const checkpointSelectionPlugin: CallbackPlugin = defineCallbackPlugin({
  kind: 'callback',
  id: 'checkpoint-selection',
  specificationVersion: 'v1',
  summary: "keeps the weights of the epoch with the best robust score on a held-out split ('average-plus-worst': ABSLD/CFA); the config key 'selection' sets it",
  optionsSchema: selectionOptionsSchema,
  create: createCheckpointSelection,
});
