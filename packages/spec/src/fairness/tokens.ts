import type * as contracts from './fairness-strategy.js';
import type { PluginRegistry } from '../plugin/plugin-registry.js';
import { token } from '../plugin/token.js';

export type FairnessStrategyPlugin<Options = unknown> = contracts.FairnessStrategyPlugin<Options>;
export const FairnessStrategyPlugin = token<FairnessStrategyPlugin>('fairness.FairnessStrategyPlugin');
export type FairnessStrategyRegistry = PluginRegistry<FairnessStrategyPlugin>;
export const FairnessStrategyRegistry = token<FairnessStrategyRegistry>('fairness.FairnessStrategyRegistry');
export type FairnessStrategy<State extends import('../json.js').JsonValue = import('../json.js').JsonValue> =
  contracts.FairnessStrategy<State>;
export const FairnessStrategy = token<FairnessStrategy>('fairness.FairnessStrategy');
