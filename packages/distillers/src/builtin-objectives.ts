import type { ObjectivePlugin } from '@robustfair/spec';
import { satPlugin } from './sat/sat-plugin.js';
import { tradesPlugin } from './trades/trades-plugin.js';

/** Every training objective this package ships: the single registration list (HOUSE-STYLE B4). */
export const builtinObjectives: readonly ObjectivePlugin[] = [satPlugin, tradesPlugin];
