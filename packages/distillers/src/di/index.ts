import { ObjectivePlugin } from '@robustfair/spec';
import { ContainerModule } from 'inversify';
import { builtinObjectives } from '../builtin-objectives.js';

/** Binds every built-in objective to the multi-bound `ObjectivePlugin` token (constant values, no decorators). */
export const distillersModule = new ContainerModule((options) => {
  for (const plugin of builtinObjectives) options.bind<ObjectivePlugin>(ObjectivePlugin).toConstantValue(plugin);
});
