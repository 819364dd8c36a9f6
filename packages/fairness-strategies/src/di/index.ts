import { FairnessStrategyPlugin } from '@robustfair/spec';
import { ContainerModule } from 'inversify';
import { builtinFairnessStrategies } from '../builtin-fairness-strategies.js';

/** Multi-binds every built-in strategy descriptor under the `FairnessStrategyPlugin` token. */
export const fairnessStrategiesModule = new ContainerModule((options) => {
  for (const plugin of builtinFairnessStrategies) {
    options.bind<FairnessStrategyPlugin>(FairnessStrategyPlugin).toConstantValue(plugin);
  }
});
