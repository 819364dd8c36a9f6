import { parseOptions } from '@robustfair/core';
import {
  InvalidOptionsError,
  NoSuchPluginError,
  pluginKinds,
  type AttackRegistry,
  type CallbackRegistry,
  type DatasetRegistry,
  type DistillerRegistry,
  type FairnessStrategyRegistry,
  type ModelRegistry,
  type ObjectiveRegistry,
  type PluginKind,
  type PluginRegistry,
} from '@robustfair/spec';
import type { Container } from 'inversify';
import { resolve } from './resolve.js';
import { pluginPlaces } from './arm-plugins.js';
import { armCallbackChoices } from '../callbacks/arm-callbacks.js';
import { createEvaluationAttacks } from '../config/evaluation-attacks.js';
import type { ExperimentSpec } from '../config/experiment-spec.js';

export interface SpecRegistries {
  readonly datasets: DatasetRegistry;
  readonly models: ModelRegistry;
  readonly attacks: AttackRegistry;
  readonly objectives: ObjectiveRegistry;
  readonly strategies: FairnessStrategyRegistry;
  readonly distillers: DistillerRegistry;
  readonly callbacks: CallbackRegistry;
  /** Every kind's registry (`pluginKinds`). */
  readonly byKind: ReadonlyMap<PluginKind, PluginRegistry>;
}

/** How {@link validateSpecPlugins} treats ids no registry knows. */
export interface ValidateSpecOptions {
  /**
   * When given, an unknown plugin id is not an error but is listed here (`<field> '<id>'`): for
   * `robustfair validate` without importing the config's outside plugins, which would register them.
   */
  readonly unchecked?: string[];
}

/**
 * Checks every plugin id and every plugin's options of a spec without creating anything, so
 * a bad arm of a comparison fails before the first arm trains.
 */
export function validateSpecPlugins(spec: ExperimentSpec, registries: SpecRegistries, subject = 'config', options: ValidateSpecOptions = {}): void {
  const { unchecked } = options;
  const known = (registry: { ids(): readonly string[] }, id: string) => registry.ids().includes(id);
  const check = (
    registry: { get(id: string): { optionsSchema: Parameters<typeof parseOptions>[0] }; ids(): readonly string[] },
    choice: { id: string; options?: unknown },
    path: string,
  ) => {
    if (unchecked && !known(registry, choice.id)) {
      unchecked.push(`${path} '${choice.id}'`);
      return;
    }
    let plugin;
    try {
      plugin = registry.get(choice.id);
    } catch (error) {
      if (!(error instanceof NoSuchPluginError)) throw error;
      const allowed = error.available.map((id) => `'${id}'`).join(', ');
      throw new InvalidOptionsError(subject, [{ path: `${path}.id`, message: `unknown ${error.kind} '${choice.id}'; allowed: ${allowed}` }]);
    }
    parseOptions(plugin.optionsSchema, choice.options ?? {}, `${subject}: ${path} '${choice.id}' options`, `${path}.options`);
  };
  for (const { field, kind, choice } of pluginPlaces(spec)) {
    const registry = registries.byKind.get(kind);
    if (!registry) throw new Error(`no registry of plugin kind '${kind}'`);
    // A chain whose members include strategies of outside plugins that were not loaded is listed
    // like them, not rejected (the full registry's chain resolves its members when they are loaded).
    const unloadedMembers = unchecked && kind === 'fairness-strategy' ? chainMembers(choice).filter((id) => !known(registry, id)) : [];
    if (unchecked && unloadedMembers.length > 0) unchecked.push(...unloadedMembers.map((id) => `${field} '${choice.id}' member '${id}'`));
    else check(registry, choice, field);
  }
  // Callback ids key their checkpoint state: one arm may not run the same callback twice.
  const ids = armCallbackChoices(spec).map(({ choice }) => choice.id);
  const repeated = ids.find((id, index) => ids.indexOf(id) !== index);
  if (repeated !== undefined) {
    throw new InvalidOptionsError(subject, [{ path: 'callbacks', message: `callback '${repeated}' is configured twice (note: 'selection' and 'weightAveraging' add 'checkpoint-selection' and 'weight-averaging')` }]);
  }
  spec.evaluation.attacks.forEach((entry, index) => {
    if (typeof entry !== 'string' && 'attack' in entry) check(registries.attacks, entry.attack, `evaluation.attacks.${index}.attack`);
  });
  // Presets are checked by making them (no tensors are created): unknown ids and bad overrides
  // fail here. Attacks of outside plugins that were not loaded were listed above instead.
  const makeable =
    (field?: string) =>
    (entry: ExperimentSpec['evaluation']['attacks'][number]): boolean => {
      if (!unchecked || typeof entry === 'string' || !('attack' in entry) || known(registries.attacks, entry.attack.id)) return true;
      if (field) unchecked.push(`${field}.attack '${entry.attack.id}'`);
      return false;
    };
  createEvaluationAttacks(spec.evaluation.attacks.filter(makeable()), registries.attacks, () => ({ seed: 0 }));
  createEvaluationAttacks([spec.selection.attack].filter(makeable('selection.attack')), registries.attacks, () => ({ seed: 0 }));
  createEvaluationAttacks([spec.weightAveraging.attack].filter(makeable('weightAveraging.attack')), registries.attacks, () => ({ seed: 0 }));
}

/** The registries a spec is checked against, from a root container. */
export function specRegistries(root: Container): SpecRegistries {
  const byKind = new Map(pluginKinds.map(({ kind, registry }) => [kind, resolve(root, registry)] as const));
  const of = <Registry>(kind: PluginKind) => byKind.get(kind) as Registry;
  return {
    datasets: of<DatasetRegistry>('dataset'),
    models: of<ModelRegistry>('model'),
    attacks: of<AttackRegistry>('attack'),
    objectives: of<ObjectiveRegistry>('objective'),
    strategies: of<FairnessStrategyRegistry>('fairness-strategy'),
    distillers: of<DistillerRegistry>('distiller'),
    callbacks: of<CallbackRegistry>('callback'),
    byKind,
  };
}

/** The member ids of a `chain` choice (`options.strategies[].id`, nested chains included), or none. */
function chainMembers(choice: { id: string; options?: unknown }): string[] {
  if (choice.id !== 'chain' || typeof choice.options !== 'object' || choice.options === null) return [];
  const strategies = (choice.options as { strategies?: unknown }).strategies;
  if (!Array.isArray(strategies)) return [];
  return strategies.flatMap((member: unknown) => {
    const id = typeof member === 'object' && member !== null ? (member as { id?: unknown }).id : undefined;
    return typeof id === 'string' ? [id, ...chainMembers(member as { id: string; options?: unknown })] : [];
  });
}
