import type * as contracts from './distiller.js';
import type { PluginRegistry } from '../plugin/plugin-registry.js';
import { token } from '../plugin/token.js';

export type DistillerPlugin<Options = unknown> = contracts.DistillerPlugin<Options>;
export const DistillerPlugin = token<DistillerPlugin>('distiller.DistillerPlugin');
export type DistillerRegistry = PluginRegistry<DistillerPlugin>;
export const DistillerRegistry = token<DistillerRegistry>('distiller.DistillerRegistry');
export type Distiller = contracts.Distiller;
export const Distiller = token<Distiller>('distiller.Distiller');
