import type * as contracts from './metric.js';
import type { PluginRegistry } from '../plugin/plugin-registry.js';
import { token } from '../plugin/token.js';

export type MetricPlugin<Options = unknown> = contracts.MetricPlugin<Options>;
export const MetricPlugin = token<MetricPlugin>('metric.MetricPlugin');
export type MetricRegistry = PluginRegistry<MetricPlugin>;
export const MetricRegistry = token<MetricRegistry>('metric.MetricRegistry');
