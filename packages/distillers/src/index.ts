// @robustfair/distillers: per-sample training loss terms (objectives sat and trades; distillers ard and rslad).
export { createSatObjective } from './sat/sat-objective.js';
export { satOptionsSchema, satPlugin, type SatPluginOptions } from './sat/sat-plugin.js';
export { createTradesObjective, tradesObjectiveDefaults, type TradesObjectiveOptions } from './trades/trades-objective.js';
export { tradesOptionsSchema, tradesPlugin, type TradesPluginOptions } from './trades/trades-plugin.js';
export { builtinObjectives } from './builtin-objectives.js';
export { createRsladDistiller, rsladDistillerDefaults, type RsladDistillerOptions } from './rslad/rslad-distiller.js';
export { rsladOptionsSchema, rsladPlugin, type RsladPluginOptions } from './rslad/rslad-plugin.js';
export { ardDistillerDefaults, createArdDistiller, type ArdDistillerOptions } from './ard/ard-distiller.js';
export { ardOptionsSchema, ardPlugin, type ArdPluginOptions } from './ard/ard-plugin.js';
export { builtinDistillers } from './builtin-distillers.js';
export { stopGradient } from './losses/stop-gradient.js';
export { softLabelKlMeanPerSample } from './losses/soft-label-kl-mean.js';
