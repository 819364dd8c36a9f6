// @robustfair/fairness-strategies: fairness methods as pure init/update/knobs over JSON state.
export { builtinFairnessStrategies } from './builtin-fairness-strategies.js';

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

export { classMeans, requireSignal } from './signals/class-means.js';
export { MissingSignalError } from './signals/missing-signal-error.js';
