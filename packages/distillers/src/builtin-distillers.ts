import type { DistillerPlugin } from '@robustfair/spec';
import { ardPlugin } from './ard/ard-plugin.js';
import { rsladPlugin } from './rslad/rslad-plugin.js';

/** Every distiller this package ships: the single registration list (HOUSE-STYLE B4). */
export const builtinDistillers: readonly DistillerPlugin[] = [ardPlugin, rsladPlugin];
