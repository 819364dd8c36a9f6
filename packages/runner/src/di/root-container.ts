import { attacksModule } from '@robustfair/attacks/di';
import { datasetsModule } from '@robustfair/datasets/di';
import { distillersModule } from '@robustfair/distillers/di';
import { fairnessStrategiesModule } from '@robustfair/fairness-strategies/di';
import { metricsModule } from '@robustfair/metrics/di';
import { modelsModule } from '@robustfair/models/di';
import type { AnyPluginDescriptor } from '@robustfair/spec';
import { Container, type ContainerModule } from 'inversify';
import { createLineReporter, type ProgressReporter as Reporter } from '../progress/progress-reporter.js';
import { ProgressReporter } from '../tokens.js';
import { callbacksModule } from './callbacks-module.js';
import { pluginListModule } from './outside-plugins-module.js';
import { registriesModule } from './registries-module.js';

export interface RootContainerOptions {
  /** Descriptors from outside packages (a config's `plugins`), bound like the built-ins. */
  readonly plugins?: readonly AnyPluginDescriptor[];
  /** Extra modules, e.g. a third-party package's `./di` module. */
  readonly modules?: readonly ContainerModule[];
  readonly reporter?: Reporter;
}

/**
 * The composition root: the only place a Container is created. Loading a package's module is
 * the whole of its registration; nothing registers itself on import.
 */
export function createRootContainer(options: RootContainerOptions = {}): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(
    attacksModule,
    distillersModule,
    fairnessStrategiesModule,
    metricsModule,
    datasetsModule,
    modelsModule,
    callbacksModule,
    registriesModule,
    pluginListModule(options.plugins ?? []),
    ...(options.modules ?? []),
  );
  container.bind<Reporter>(ProgressReporter).toConstantValue(options.reporter ?? createLineReporter());
  return container;
}
