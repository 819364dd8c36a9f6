import type * as contracts from './model.js';
import type { PluginRegistry } from '../plugin/plugin-registry.js';
import { token } from '../plugin/token.js';

// Token and type share a name (one import gives both); the types come from model.ts.
export type ModelPlugin<Options = unknown> = contracts.ModelPlugin<Options>;
export const ModelPlugin = token<ModelPlugin>('model.ModelPlugin');
export type ModelRegistry = PluginRegistry<ModelPlugin>;
export const ModelRegistry = token<ModelRegistry>('model.ModelRegistry');
/** The student of an experiment arm (a model is never shared between arms). */
export const StudentModel = token<contracts.Model>('model.StudentModel');
