import { CallbackPlugin } from '@robustfair/spec';
import { ContainerModule } from 'inversify';
import { builtinCallbacks } from '../callbacks/builtin-callbacks.js';

/** Binds the runner's built-in callback plugins (checkpoint selection, weight averaging) like any package's plugins. */
export const callbacksModule = new ContainerModule(({ bind }) => {
  for (const plugin of builtinCallbacks) bind<CallbackPlugin>(CallbackPlugin).toConstantValue(plugin);
});
