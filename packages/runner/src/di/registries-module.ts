import { createPluginRegistry } from '@robustfair/core';
import { chainPlugin, createChainPlugin } from '@robustfair/fairness-strategies';
import {
  AttackPlugin,
  AttackRegistry,
  CallbackPlugin,
  CallbackRegistry,
  DatasetPlugin,
  DatasetRegistry,
  DistillerPlugin,
  DistillerRegistry,
  FairnessStrategyPlugin,
  FairnessStrategyRegistry,
  MetricPlugin,
  MetricRegistry,
  ModelPlugin,
  ModelRegistry,
  ObjectivePlugin,
  ObjectiveRegistry,
  type AnyPluginDescriptor,
  type PluginKind,
  type Token,
} from '@robustfair/spec';
import { ContainerModule, type ContainerModuleLoadOptions } from 'inversify';

function bindRegistry<Descriptor extends AnyPluginDescriptor>(
  options: ContainerModuleLoadOptions,
  kind: PluginKind,
  registryToken: Token<unknown>,
  pluginToken: Token<Descriptor>,
): void {
  // Optional multi-injection: an empty plugin set gives an empty registry, not a crash (Theia rule 6).
  options
    .bind(registryToken)
    .toResolvedValue((plugins: Descriptor[] | undefined) => createPluginRegistry(kind, plugins ?? []), [
      { serviceIdentifier: pluginToken, isMultiple: true, optional: true },
    ])
    .inSingletonScope();
}

/**
 * The fairness-strategy registry, with the built-in `chain` (which only sees the built-in
 * strategies) replaced by a `chain` over this whole registry: outside strategies loaded from a
 * config's `plugins` can be chain members too.
 */
function bindFairnessStrategyRegistry(options: ContainerModuleLoadOptions): void {
  options
    .bind(FairnessStrategyRegistry)
    .toResolvedValue(
      (plugins: FairnessStrategyPlugin[] | undefined) => {
        const everything = (): FairnessStrategyPlugin[] => registry.ids().map((id) => registry.get(id));
        const registry = createPluginRegistry(
          'fairness-strategy',
          (plugins ?? []).map((plugin) => (plugin === chainPlugin ? createChainPlugin(everything) : plugin)),
        );
        return registry;
      },
      [{ serviceIdentifier: FairnessStrategyPlugin, isMultiple: true, optional: true }],
    )
    .inSingletonScope();
}

/** One registry per plugin kind, built from the multi-bound descriptors; duplicates fail here. */
export const registriesModule = new ContainerModule((options) => {
  bindRegistry(options, 'attack', AttackRegistry, AttackPlugin);
  bindRegistry(options, 'objective', ObjectiveRegistry, ObjectivePlugin);
  bindRegistry(options, 'distiller', DistillerRegistry, DistillerPlugin);
  bindFairnessStrategyRegistry(options);
  bindRegistry(options, 'metric', MetricRegistry, MetricPlugin);
  bindRegistry(options, 'dataset', DatasetRegistry, DatasetPlugin);
  bindRegistry(options, 'model', ModelRegistry, ModelPlugin);
  bindRegistry(options, 'callback', CallbackRegistry, CallbackPlugin);
});
