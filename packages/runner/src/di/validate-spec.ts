import { parseOptions } from '@robustfair/core';
import {
  AttackRegistry,
  DatasetRegistry,
  DistillerRegistry,
  FairnessStrategyRegistry,
  InvalidOptionsError,
  ModelRegistry,
  NoSuchPluginError,
  ObjectiveRegistry,
} from '@robustfair/spec';
import type { Container } from 'inversify';
import { resolve } from './resolve.js';
import { createEvaluationAttacks } from '../config/evaluation-attacks.js';
import type { ExperimentSpec } from '../config/experiment-spec.js';

export interface SpecRegistries {
  readonly datasets: DatasetRegistry;
  readonly models: ModelRegistry;
  readonly attacks: AttackRegistry;
  readonly objectives: ObjectiveRegistry;
  readonly strategies: FairnessStrategyRegistry;
  readonly distillers: DistillerRegistry;
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
  check(registries.datasets, spec.dataset, 'dataset');
  check(registries.models, spec.model, 'model');
  check(registries.attacks, spec.trainingAttack, 'trainingAttack');
  check(registries.objectives, spec.objective, 'objective');
  // A chain whose members include strategies of outside plugins that were not loaded is listed
  // like them, not rejected (the full registry's chain resolves its members when they are loaded).
  const unloadedMembers = unchecked ? chainMembers(spec.fairness).filter((id) => !known(registries.strategies, id)) : [];
  if (unchecked && unloadedMembers.length > 0) {
    unchecked.push(...unloadedMembers.map((id) => `fairness 'chain' member '${id}'`));
  } else {
    check(registries.strategies, spec.fairness, 'fairness');
  }
  if (spec.distiller) check(registries.distillers, spec.distiller, 'distiller');
  if (spec.teacher) {
    check(registries.models, spec.teacher.model, 'teacher.model');
    check(registries.objectives, spec.teacher.objective, 'teacher.objective');
    check(registries.attacks, spec.teacher.trainingAttack, 'teacher.trainingAttack');
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
  return {
    datasets: resolve(root, DatasetRegistry),
    models: resolve(root, ModelRegistry),
    attacks: resolve(root, AttackRegistry),
    objectives: resolve(root, ObjectiveRegistry),
    strategies: resolve(root, FairnessStrategyRegistry),
    distillers: resolve(root, DistillerRegistry),
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
