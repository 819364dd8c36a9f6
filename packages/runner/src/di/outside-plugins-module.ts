import { pluginKindEntry, type AnyPluginDescriptor } from '@robustfair/spec';
import { ContainerModule } from 'inversify';

/** Binds descriptors from outside packages (a config's `plugins`) exactly like the built-ins. */
export function pluginListModule(plugins: readonly AnyPluginDescriptor[]): ContainerModule {
  return new ContainerModule((options) => {
    for (const plugin of plugins) {
      let entry;
      try {
        entry = pluginKindEntry(plugin.kind);
      } catch (error) {
        throw new Error(`plugin '${plugin.id}': ${(error as Error).message}`);
      }
      options.bind(entry.plugin).toConstantValue(plugin);
    }
  });
}
