import {
  AttackPlugin,
  CallbackPlugin,
  DatasetPlugin,
  DistillerPlugin,
  FairnessStrategyPlugin,
  MetricPlugin,
  ModelPlugin,
  ObjectivePlugin,
  type AnyPluginDescriptor,
  type PluginKind,
  type Token,
} from '@robustfair/spec';
import { ContainerModule } from 'inversify';

const tokenByKind: Record<PluginKind, Token<unknown>> = {
  attack: AttackPlugin,
  objective: ObjectivePlugin,
  distiller: DistillerPlugin,
  'fairness-strategy': FairnessStrategyPlugin,
  metric: MetricPlugin,
  dataset: DatasetPlugin,
  model: ModelPlugin,
  callback: CallbackPlugin,
};

/** Binds descriptors from outside packages (a config's `plugins`) exactly like the built-ins. */
export function pluginListModule(plugins: readonly AnyPluginDescriptor[]): ContainerModule {
  return new ContainerModule((options) => {
    for (const plugin of plugins) {
      const pluginToken = tokenByKind[plugin.kind];
      if (!pluginToken) throw new Error(`plugin '${plugin.id}' has unknown kind '${String(plugin.kind)}'`);
      options.bind(pluginToken).toConstantValue(plugin);
    }
  });
}
