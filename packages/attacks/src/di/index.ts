import { AttackPlugin } from '@robustfair/spec';
import { ContainerModule } from 'inversify';
import { builtinAttacks } from '../builtin-attacks.js';

/** Binds every built-in attack to the multi-bound `AttackPlugin` token (constant values, no decorators). */
export const attacksModule = new ContainerModule((options) => {
  for (const plugin of builtinAttacks) options.bind<AttackPlugin>(AttackPlugin).toConstantValue(plugin);
});
