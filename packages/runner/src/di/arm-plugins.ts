import { Dataset, FairnessStrategy, StudentModel, TrainingAttack, TrainingObjective, type PluginKind, type Token } from '@robustfair/spec';
import type { ExperimentSpec } from '../config/experiment-spec.js';
import type { PluginChoiceConfig } from '../config/plugin-choice.js';
import { ArmDistiller, TeacherModel } from '../tokens.js';

/** One place of an arm's spec that names a plugin its container makes. */
export interface ArmPluginSlot {
  /** The config key (dotted): error paths, and the key of its resolved options in results. */
  readonly field: string;
  readonly kind: PluginKind;
  /** What the arm's container binds; to null when the arm has no such plugin. */
  readonly token: Token<unknown>;
  /** The plugin's seed is `deriveSeed(spec.seed, seed)`. */
  readonly seed: string;
  readonly choice: (spec: ExperimentSpec) => PluginChoiceConfig | undefined;
  /** A model: its context adds the arm dataset's classes and input shape, and unbinding the arm disposes it. */
  readonly model?: true;
}

/**
 * Every plugin an arm's container makes from its spec, in the order validation checks them:
 * `experimentModule` binds each one from this table, and `validateSpecPlugins` checks each place.
 */
export const armPluginSlots: readonly ArmPluginSlot[] = [
  { field: 'dataset', kind: 'dataset', token: Dataset, seed: 'dataset', choice: (spec) => spec.dataset },
  { field: 'model', kind: 'model', token: StudentModel, seed: 'model', choice: (spec) => spec.model, model: true },
  { field: 'trainingAttack', kind: 'attack', token: TrainingAttack, seed: 'attack', choice: (spec) => spec.trainingAttack },
  { field: 'objective', kind: 'objective', token: TrainingObjective, seed: 'objective', choice: (spec) => spec.objective },
  { field: 'fairness', kind: 'fairness-strategy', token: FairnessStrategy, seed: 'fairness', choice: (spec) => spec.fairness },
  { field: 'distiller', kind: 'distiller', token: ArmDistiller, seed: 'distiller', choice: (spec) => spec.distiller },
  { field: 'teacher.model', kind: 'model', token: TeacherModel, seed: 'teacher', choice: (spec) => spec.teacher?.model, model: true },
];

/**
 * Every plugin place of a spec that names a plugin by id, with its kind: the arm's own
 * (`armPluginSlots`), the teacher's training plugins (its spec makes them), and the callbacks.
 * Evaluation attacks are presets or plugins and are checked by making them.
 */
export function pluginPlaces(spec: ExperimentSpec): readonly { readonly field: string; readonly kind: PluginKind; readonly choice: PluginChoiceConfig }[] {
  const own = armPluginSlots.flatMap(({ field, kind, choice }) => {
    const chosen = choice(spec);
    return chosen ? [{ field, kind, choice: chosen }] : [];
  });
  const teacher = spec.teacher
    ? [
        { field: 'teacher.objective', kind: 'objective' as const, choice: spec.teacher.objective },
        { field: 'teacher.trainingAttack', kind: 'attack' as const, choice: spec.teacher.trainingAttack },
      ]
    : [];
  const callbacks = (spec.callbacks ?? []).map((choice, index) => ({ field: `callbacks.${index}`, kind: 'callback' as const, choice }));
  return [...own, ...teacher, ...callbacks];
}
