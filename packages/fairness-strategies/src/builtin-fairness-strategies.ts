import type { FairnessStrategyPlugin } from '@robustfair/spec';
import { classReweightPlugin } from './class-reweight/class-reweight-plugin.js';
import { identityPlugin } from './identity/identity-plugin.js';

/** Every strategy this package ships: the single registration list (loaded by `./di`). */
export const builtinFairnessStrategies: readonly FairnessStrategyPlugin[] = [identityPlugin, classReweightPlugin];
