// @robustfair/distillers: per-sample training loss terms (objectives sat and trades).
export { createSatObjective } from './sat/sat-objective.js';
export { satOptionsSchema, satPlugin, type SatPluginOptions } from './sat/sat-plugin.js';
export { createTradesObjective, tradesObjectiveDefaults, type TradesObjectiveOptions } from './trades/trades-objective.js';
export { tradesOptionsSchema, tradesPlugin, type TradesPluginOptions } from './trades/trades-plugin.js';
export { builtinObjectives } from './builtin-objectives.js';
