import type { AttackPlugin } from '../attack/attack.js';
import type { DatasetPlugin } from '../dataset/dataset.js';
import type { DistillerPlugin } from '../distiller/distiller.js';
import type { FairnessStrategyPlugin } from '../fairness/fairness-strategy.js';
import type { MetricPlugin } from '../metric/metric.js';
import type { ModelPlugin } from '../model/model.js';
import type { CallbackPlugin } from '../training/callback.js';
import type { ObjectivePlugin } from '../training/loss.js';

// Identity functions that only fix the descriptor's type, so `Options` is inferred from the
// zod schema and checked against `create` (the Vercel `define*` habit).
export const defineAttackPlugin = <Options>(plugin: AttackPlugin<Options>) => plugin;
export const defineObjectivePlugin = <Options>(plugin: ObjectivePlugin<Options>) => plugin;
export const defineDistillerPlugin = <Options>(plugin: DistillerPlugin<Options>) => plugin;
export const defineFairnessStrategyPlugin = <Options>(plugin: FairnessStrategyPlugin<Options>) => plugin;
export const defineMetricPlugin = <Options>(plugin: MetricPlugin<Options>) => plugin;
export const defineDatasetPlugin = <Options>(plugin: DatasetPlugin<Options>) => plugin;
export const defineModelPlugin = <Options>(plugin: ModelPlugin<Options>) => plugin;
export const defineCallbackPlugin = <Options>(plugin: CallbackPlugin<Options>) => plugin;
