import { defineCallbackPlugin, type CallbackContext, type CallbackPlugin, type JsonValue, type TrainingCallback } from '@robustfair/spec';
import { z } from 'zod';
import { weightAveragingOptionsSchema } from '../config/experiment-spec.js';
import { snapshotFromJson, snapshotToJson } from './snapshot-json.js';

export type WeightAveragingOptions = z.output<typeof weightAveragingOptionsSchema>;

/** What weight averaging did (result.json `training.monitor.weightAveraging`). */
export interface WeightAveragingRecord {
  readonly kind: WeightAveragingOptions['kind'];
  /** Epochs whose weights entered the average. */
  readonly updates: number[];
  /** FAWA: the plain model's worst-class validation robust accuracy per epoch. */
  readonly worstClass: { readonly epoch: number; readonly accuracy: number }[];
}

export interface WeightAveraging extends TrainingCallback {
  readonly record: WeightAveragingRecord;
}

/** average ← decay · average + (1 − decay) · current, in place (CFA's EMA and FAWA, docs/methods/cfa.md#weight-averaging-ema-and-fawa). */
export function blendInto(average: Float32Array[], current: readonly Float32Array[], decay: number): void {
  average.forEach((values, index) => {
    const update = current[index] as Float32Array;
    for (let i = 0; i < values.length; i++) values[i] = decay * (values[i] as number) + (1 - decay) * (update[i] as number);
  });
}

const stateSchema = z.strictObject({
  updates: z.array(z.number().int()),
  worstClass: z.array(z.strictObject({ epoch: z.number().int(), accuracy: z.number() })),
  average: z.array(z.string()).nullable(),
});

/**
 * CFA's weight averaging (docs/methods/cfa.md#weight-averaging-ema-and-fawa), whole state (batch-norm statistics included): `ema`
 * blends the weights into the average after every epoch; `fawa` only after epochs whose
 * worst-class validation robust accuracy under `attack` reaches `threshold`. The average is
 * written back when training ends; `kind: 'none'` does nothing.
 */
export function createWeightAveraging(options: WeightAveragingOptions, context: CallbackContext): WeightAveraging {
  const probe = options.kind === 'fawa' ? context.robustAccuracyProbe(options.attack, 'averaging') : undefined;
  const record = { kind: options.kind, updates: [] as number[], worstClass: [] as { epoch: number; accuracy: number }[] };
  let average: Float32Array[] | undefined;
  const update = async (epoch: number) => {
    const current = await context.weights.capture();
    if (average) blendInto(average, current, options.decay);
    else average = current;
    record.updates.push(epoch);
  };
  return {
    id: 'weight-averaging',
    record,
    async onEpochEnd({ epoch }) {
      if (options.kind === 'ema') await update(epoch);
      else if (probe) {
        // FAWA reads the plain model's worst-class validation robustness (docs/methods/cfa.md#weight-averaging-ema-and-fawa).
        const measured = await probe.measure({ split: 'validation', epoch, purpose: 'averaging' });
        record.worstClass.push({ epoch, accuracy: measured.worstClass });
        if (measured.worstClass >= options.threshold) await update(epoch);
      }
    },
    onTrainEnd() {
      if (average) context.weights.restore(average);
    },
    state: (): JsonValue => ({ updates: record.updates, worstClass: record.worstClass, average: average ? snapshotToJson(average) : null }),
    restore(state) {
      const parsed = stateSchema.safeParse(state);
      if (!parsed.success) throw new Error(`the checkpoint state of callback 'weight-averaging' is damaged: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      record.updates.splice(0, record.updates.length, ...parsed.data.updates);
      record.worstClass.splice(0, record.worstClass.length, ...parsed.data.worstClass);
      average = parsed.data.average ? snapshotFromJson(parsed.data.average, 'weight-averaging average') : undefined;
    },
  };
}

export const weightAveragingPlugin: CallbackPlugin = defineCallbackPlugin({
  kind: 'callback',
  id: 'weight-averaging',
  specificationVersion: 'v1',
  summary: "averages the weights over epochs (ema; CFA's fawa: only epochs whose worst class is good enough) and evaluates the average; the config key 'weightAveraging' sets it",
  reference: { title: 'CFA: Class-wise Calibrated Fair Adversarial Training', year: 2023 },
  optionsSchema: weightAveragingOptionsSchema,
  create: createWeightAveraging,
});

