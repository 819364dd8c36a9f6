import type * as contracts from './dataset.js';
import type { PluginRegistry } from '../plugin/plugin-registry.js';
import { token } from '../plugin/token.js';

export type DatasetPlugin<Options = unknown> = contracts.DatasetPlugin<Options>;
export const DatasetPlugin = token<DatasetPlugin>('dataset.DatasetPlugin');
export type DatasetRegistry = PluginRegistry<DatasetPlugin>;
export const DatasetRegistry = token<DatasetRegistry>('dataset.DatasetRegistry');
export type Dataset = contracts.Dataset;
export const Dataset = token<Dataset>('dataset.Dataset');
