import { DistillerPlugin, ObjectivePlugin } from '@robustfair/spec';
import { ContainerModule } from 'inversify';
import { builtinDistillers } from '../builtin-distillers.js';
import { builtinObjectives } from '../builtin-objectives.js';

/**
 * Binds every built-in objective to the multi-bound `ObjectivePlugin` token and every built-in
 * distiller to `DistillerPlugin` (constant values, no decorators).
 */
export const distillersModule = new ContainerModule((options) => {
  for (const plugin of builtinObjectives) options.bind<ObjectivePlugin>(ObjectivePlugin).toConstantValue(plugin);
  for (const plugin of builtinDistillers) options.bind<DistillerPlugin>(DistillerPlugin).toConstantValue(plugin);
});
