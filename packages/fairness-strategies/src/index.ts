// @robustfair/fairness-strategies: fairness methods as pure init/update/knobs over JSON state.
export { builtinFairnessStrategies, chainPlugin } from './builtin-fairness-strategies.js';

export { createIdentityStrategy, type IdentityState } from './identity/identity-strategy.js';
export { identityOptionsSchema, identityPlugin, type IdentityOptions } from './identity/identity-plugin.js';

export { createClassReweightStrategy, type ClassReweightState } from './class-reweight/class-reweight-strategy.js';
export {
  classReweightOptionsSchema,
  parseClassReweightOptions,
  type ClassReweightOptions,
  type ClassReweightOptionsInput,
} from './class-reweight/class-reweight-options.js';
export { classReweightPlugin } from './class-reweight/class-reweight-plugin.js';

export { absldRate, createAbsldStrategy, shiftAgainstRiskGap, type AbsldState } from './absld/absld-strategy.js';
export { absldOptionsSchema, parseAbsldOptions, type AbsldOptions, type AbsldOptionsInput } from './absld/absld-options.js';
export { absldPlugin } from './absld/absld-plugin.js';

export {
  classWeightsFromMultipliers,
  createFrlStrategy,
  frlStepSize,
  normaliseMultipliers,
  type FrlState,
} from './frl/frl-strategy.js';
export {
  frlRemarginOptionsSchema,
  frlReweightOptionsSchema,
  frlReweightRemarginOptionsSchema,
  parseFrlOptions,
  type FrlOptions,
  type FrlRemarginOptions,
  type FrlRemarginOptionsInput,
  type FrlReweightOptions,
  type FrlReweightOptionsInput,
  type FrlReweightRemarginOptions,
  type FrlReweightRemarginOptionsInput,
  type FrlVariant,
} from './frl/frl-options.js';
export { frlRemarginPlugin, frlReweightPlugin, frlReweightRemarginPlugin } from './frl/frl-plugins.js';

export { createCfaCcmStrategy, type CfaCcmState } from './cfa/cfa-ccm-strategy.js';
export { classRegularisation, createCfaCcrStrategy, type CfaCcrState } from './cfa/cfa-ccr-strategy.js';
export type { CfaState } from './cfa/cfa-state.js';
export {
  cfaCcmOptionsSchema,
  cfaCcrOptionsSchema,
  parseCfaCcmOptions,
  parseCfaCcrOptions,
  type CfaCcmOptions,
  type CfaCcmOptionsInput,
  type CfaCcrOptions,
  type CfaCcrOptionsInput,
} from './cfa/cfa-options.js';
export { cfaCcmPlugin, cfaCcrPlugin } from './cfa/cfa-plugins.js';

export { createFairArdStrategy, type FairArdState } from './fair-ard/fair-ard-strategy.js';
export { fairArdOptionsSchema, parseFairArdOptions, type FairArdOptions, type FairArdOptionsInput } from './fair-ard/fair-ard-options.js';
export { fairArdPlugin } from './fair-ard/fair-ard-plugin.js';

export { createWatStrategy, hedgeWeights, type WatState } from './wat/wat-strategy.js';
export { parseWatOptions, watOptionsSchema, type WatOptions, type WatOptionsInput } from './wat/wat-options.js';
export { watPlugin } from './wat/wat-plugin.js';

export { chainStrategies, combineKnobs, type ChainState } from './chain/chain-strategies.js';
export { createChainPlugin, type ChainOptions } from './chain/chain-plugin.js';

export { classMeans, requireSignal } from './signals/class-means.js';
export { MissingSignalError } from './signals/missing-signal-error.js';
