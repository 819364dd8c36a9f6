import type * as contracts from './attack.js';
import type { PluginRegistry } from '../plugin/plugin-registry.js';
import { token } from '../plugin/token.js';

export type AttackPlugin<Options = unknown> = contracts.AttackPlugin<Options>;
export const AttackPlugin = token<AttackPlugin>('attack.AttackPlugin');
export type AttackRegistry = PluginRegistry<AttackPlugin>;
export const AttackRegistry = token<AttackRegistry>('attack.AttackRegistry');
/** The attack used inside training for an experiment arm. */
export const TrainingAttack = token<contracts.Attack>('attack.TrainingAttack');
