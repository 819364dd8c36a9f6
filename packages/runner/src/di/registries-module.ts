import { createPluginRegistry } from '@robustfair/core';
import { chainPlugin, createChainPlugin } from '@robustfair/fairness-strategies';
import { pluginKinds, type AnyPluginDescriptor, type FairnessStrategyPlugin, type PluginKind } from '@robustfair/spec';
import { ContainerModule } from 'inversify';

/**
 * The fairness strategies with the built-in `chain` (which only sees the built-in strategies)
 * replaced by a `chain` over this whole registry: outside strategies loaded from a config's
 * `plugins` can be chain members too.
 */
function fairnessStrategyRegistry(plugins: readonly AnyPluginDescriptor[]) {
  const everything = (): FairnessStrategyPlugin[] => registry.ids().map((id) => registry.get(id) as FairnessStrategyPlugin);
  const registry = createPluginRegistry(
    'fairness-strategy',
    plugins.map((plugin) => (plugin === chainPlugin ? createChainPlugin(everything) : plugin)),
  );
  return registry;
}

const registryOf = (kind: PluginKind, plugins: readonly AnyPluginDescriptor[]) =>
  kind === 'fairness-strategy' ? fairnessStrategyRegistry(plugins) : createPluginRegistry(kind, plugins);

/** One registry per plugin kind (`pluginKinds`), built from the multi-bound descriptors; duplicates fail here. */
export const registriesModule = new ContainerModule((options) => {
  for (const { kind, plugin, registry } of pluginKinds) {
    // Optional multi-injection: an empty plugin set gives an empty registry, not a crash (Theia rule 6).
    options
      .bind(registry)
      .toResolvedValue((plugins: AnyPluginDescriptor[] | undefined) => registryOf(kind, plugins ?? []), [
        { serviceIdentifier: plugin, isMultiple: true, optional: true },
      ])
      .inSingletonScope();
  }
});
