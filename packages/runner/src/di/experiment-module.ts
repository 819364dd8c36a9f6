import { deriveSeed, instantiatePlugin } from '@robustfair/core';
import { AttackRegistry, Dataset, pluginKindEntry, type Model, type PluginRegistry } from '@robustfair/spec';
import { ContainerModule } from 'inversify';
import { createEvaluationAttacks } from '../config/evaluation-attacks.js';
import { ExperimentRunner } from '../experiment-runner.js';
import { EvaluationAttacks, ExperimentSpec, ResolvedOptions } from '../tokens.js';
import { armPluginSlots } from './arm-plugins.js';

type Resolved = Map<string, { id: string; options: unknown }>;

/**
 * Everything one experiment arm needs, built from its immutable spec (HOUSE-STYLE B4): loaded
 * into a child container per arm, so arms never share a model, a strategy or a runner.
 * Every plugin is made through its registry, which validates its options first, one binding
 * per place of `armPluginSlots`; a place the spec leaves empty (no teacher) is bound to null.
 */
export function experimentModule(spec: ExperimentSpec): ContainerModule {
  return new ContainerModule((options) => {
    const { bind } = options;
    bind<ExperimentSpec>(ExperimentSpec).toConstantValue(spec);
    bind<Resolved>(ResolvedOptions).toConstantValue(new Map());

    for (const slot of armPluginSlots) {
      const choice = slot.choice(spec);
      if (!choice) {
        bind(slot.token).toConstantValue(null);
        continue;
      }
      const registry = pluginKindEntry(slot.kind).registry;
      const make = (plugins: PluginRegistry, resolved: Resolved, dataset?: Dataset) => {
        const seed = deriveSeed(spec.seed, slot.seed);
        const context = dataset ? { seed, numClasses: dataset.numClasses, inputShape: dataset.inputShape } : { seed };
        const made = instantiatePlugin(plugins, choice, context, slot.field);
        resolved.set(slot.field, { id: made.id, options: made.options });
        return made.instance;
      };
      if (slot.model) {
        bind<Model>(slot.token)
          .toResolvedValue((plugins: PluginRegistry, resolved: Resolved, dataset: Dataset) => make(plugins, resolved, dataset) as Model, [registry, ResolvedOptions, Dataset])
          .inSingletonScope()
          .onDeactivation((model) => {
            // Braces: a non-undefined return would be awaited as a Promise (HOUSE-STYLE B4 note 2).
            model.dispose();
          });
      } else {
        bind(slot.token)
          .toResolvedValue((plugins: PluginRegistry, resolved: Resolved) => make(plugins, resolved), [registry, ResolvedOptions])
          .inSingletonScope();
      }
    }

    bind(EvaluationAttacks)
      .toResolvedValue(
        (registry: AttackRegistry, resolved: Resolved) => {
          const attacks = createEvaluationAttacks(spec.evaluation.attacks, registry, (name) => ({ seed: deriveSeed(spec.seed, 'evaluation', name) }));
          for (const attack of attacks) resolved.set(`evaluation.${attack.id}`, { id: attack.plugin ?? attack.id, options: attack.options ?? null });
          return attacks;
        },
        [AttackRegistry, ResolvedOptions],
      )
      .inSingletonScope();

    // Bound per arm on purpose: a root singleton would keep the first arm's model (B10.14).
    bind(ExperimentRunner).toSelf().inSingletonScope();
  });
}
