import { ModelPlugin } from '@robustfair/spec';
import { ContainerModule } from 'inversify';
import { builtinModels } from '../builtin-models.js';

/** Multi-binds every built-in model plugin to `ModelPlugin`; loading it is the whole registration. */
export const modelsModule = new ContainerModule((options) => {
  for (const plugin of builtinModels) options.bind<ModelPlugin>(ModelPlugin).toConstantValue(plugin);
});
