import { instantiatePlugin } from '@robustfair/core';
import type { CallbackContext, CallbackRegistry, TrainingCallback } from '@robustfair/spec';
import type { ExperimentSpec } from '../config/experiment-spec.js';
import type { PluginChoiceConfig } from '../config/plugin-choice.js';
import type { CheckpointSelection, SelectionRecord } from './checkpoint-selection.js';
import type { WeightAveraging, WeightAveragingRecord } from './weight-averaging.js';

/** An arm's callback choices: each with its place in the config. */
export interface ArmCallbackChoice {
  readonly field: string;
  readonly choice: PluginChoiceConfig;
}

/**
 * The callbacks an arm's spec selects, in the order they run: `selection` and `weightAveraging`
 * resolve to the callbacks `checkpoint-selection` and `weight-averaging` (both, when either is
 * on; selection first, so an average, when there is one, is what training ends with), then the
 * `callbacks` list.
 */
export function armCallbackChoices(spec: ExperimentSpec): readonly ArmCallbackChoice[] {
  const monitored = spec.selection.rule !== 'last' || spec.weightAveraging.kind !== 'none';
  const configured = monitored
    ? [
        { field: 'selection', choice: { id: 'checkpoint-selection', options: { ...spec.selection } } },
        { field: 'weightAveraging', choice: { id: 'weight-averaging', options: { ...spec.weightAveraging } } },
      ]
    : [];
  return [...configured, ...(spec.callbacks ?? []).map((choice, index) => ({ field: `callbacks.${index}`, choice }))];
}

/**
 * Makes an arm's callbacks through the callback registry (options validated by each plugin's
 * schema). The resolved options of the `callbacks` list are recorded under `callbacks.<index>`;
 * those of `selection` and `weightAveraging` are in the spec already.
 */
export function createArmCallbacks(options: {
  readonly spec: ExperimentSpec;
  readonly registry: CallbackRegistry;
  readonly resolved: Map<string, { id: string; options: unknown }>;
  readonly context: (field: string) => CallbackContext;
}): TrainingCallback[] {
  return armCallbackChoices(options.spec).map(({ field, choice }) => {
    const made = instantiatePlugin(options.registry, choice, options.context(field), field);
    if (field.startsWith('callbacks.')) options.resolved.set(field, { id: made.id, options: made.options });
    return made.instance;
  });
}

/** What checkpoint selection and weight averaging measured and chose (result.json `training.monitor`). */
export interface MonitorRecord {
  readonly selection: SelectionRecord;
  readonly weightAveraging: WeightAveragingRecord;
}

/** The monitor record of an arm's callbacks; undefined when neither selection nor averaging ran. */
export function monitorRecord(spec: ExperimentSpec, callbacks: readonly TrainingCallback[]): MonitorRecord | undefined {
  const selection = callbacks.find((callback): callback is CheckpointSelection => callback.id === 'checkpoint-selection' && 'record' in callback);
  const averaging = callbacks.find((callback): callback is WeightAveraging => callback.id === 'weight-averaging' && 'record' in callback);
  if (!selection && !averaging) return undefined;
  const { rule, split } = spec.selection;
  return {
    selection: selection?.record ?? { rule, split, usesTestSet: split === 'test', scores: [], chosenEpoch: null },
    weightAveraging: averaging?.record ?? { kind: spec.weightAveraging.kind, updates: [], worstClass: [] },
  };
}
