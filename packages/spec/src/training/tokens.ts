import type * as contracts from './loss.js';
import type * as callbacks from './callback.js';
import type { PluginRegistry } from '../plugin/plugin-registry.js';
import { token } from '../plugin/token.js';

export type ObjectivePlugin<Options = unknown> = contracts.ObjectivePlugin<Options>;
export const ObjectivePlugin = token<ObjectivePlugin>('training.ObjectivePlugin');
export type ObjectiveRegistry = PluginRegistry<ObjectivePlugin>;
export const ObjectiveRegistry = token<ObjectiveRegistry>('training.ObjectiveRegistry');
export type TrainingObjective = contracts.TrainingObjective;
export const TrainingObjective = token<TrainingObjective>('training.TrainingObjective');
export type CallbackPlugin<Options = unknown> = callbacks.CallbackPlugin<Options>;
export const CallbackPlugin = token<CallbackPlugin>('training.CallbackPlugin');
export type CallbackRegistry = PluginRegistry<CallbackPlugin>;
export const CallbackRegistry = token<CallbackRegistry>('training.CallbackRegistry');
