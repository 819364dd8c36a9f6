import type { FairnessStrategyPlugin } from '@robustfair/spec';
import { absldPlugin } from './absld/absld-plugin.js';
import { cfaCcmPlugin, cfaCcrPlugin } from './cfa/cfa-plugins.js';
import { createChainPlugin } from './chain/chain-plugin.js';
import { classReweightPlugin } from './class-reweight/class-reweight-plugin.js';
import { fairArdPlugin } from './fair-ard/fair-ard-plugin.js';
import { frlRemarginPlugin, frlReweightPlugin, frlReweightRemarginPlugin } from './frl/frl-plugins.js';
import { identityPlugin } from './identity/identity-plugin.js';
import { watPlugin } from './wat/wat-plugin.js';

/**
 * `chain` over the built-in strategies. The runner's registry swaps it for a `chain` over the
 * whole registry, outside plugins included (`createChainPlugin`).
 */
export const chainPlugin: FairnessStrategyPlugin = createChainPlugin(() => builtinFairnessStrategies);

/** Every strategy this package ships: the single registration list (loaded by `./di`). */
export const builtinFairnessStrategies: readonly FairnessStrategyPlugin[] = [
  identityPlugin,
  classReweightPlugin,
  absldPlugin,
  frlReweightPlugin,
  frlRemarginPlugin,
  frlReweightRemarginPlugin,
  cfaCcmPlugin,
  cfaCcrPlugin,
  fairArdPlugin,
  watPlugin,
  chainPlugin,
];
