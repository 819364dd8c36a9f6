import { AttackPlugin, AttackRegistry } from '../attack/tokens.js';
import { DatasetPlugin, DatasetRegistry } from '../dataset/tokens.js';
import { DistillerPlugin, DistillerRegistry } from '../distiller/tokens.js';
import { FairnessStrategyPlugin, FairnessStrategyRegistry } from '../fairness/tokens.js';
import { MetricPlugin, MetricRegistry } from '../metric/tokens.js';
import { ModelPlugin, ModelRegistry } from '../model/tokens.js';
import { CallbackPlugin, CallbackRegistry, ObjectivePlugin, ObjectiveRegistry } from '../training/tokens.js';
import type { AnyPluginDescriptor, PluginKind } from './plugin-descriptor.js';
import type { PluginRegistry } from './plugin-registry.js';
import type { Token } from './token.js';

/** What the runner needs to know about one kind of plugin. */
export interface PluginKindEntry<Kind extends PluginKind = PluginKind> {
  readonly kind: Kind;
  /** How `robustfair list` heads the kind's plugins. */
  readonly title: string;
  /** The multi-bound token of the kind's descriptors (a package's `./di` module binds them). */
  readonly plugin: Token<AnyPluginDescriptor>;
  /** The token of the registry the runner builds from those descriptors. */
  readonly registry: Token<PluginRegistry>;
}

// Keyed by kind, so a kind added to `PluginKind` and not here fails to compile.
const entries: { readonly [Kind in PluginKind]: Omit<PluginKindEntry<Kind>, 'kind'> } = {
  dataset: { title: 'datasets', plugin: DatasetPlugin, registry: DatasetRegistry },
  model: { title: 'models', plugin: ModelPlugin, registry: ModelRegistry },
  objective: { title: 'objectives', plugin: ObjectivePlugin, registry: ObjectiveRegistry },
  attack: { title: 'attacks', plugin: AttackPlugin, registry: AttackRegistry },
  distiller: { title: 'distillers', plugin: DistillerPlugin, registry: DistillerRegistry },
  'fairness-strategy': { title: 'fairness strategies', plugin: FairnessStrategyPlugin, registry: FairnessStrategyRegistry },
  metric: { title: 'metrics', plugin: MetricPlugin, registry: MetricRegistry },
  callback: { title: 'callbacks', plugin: CallbackPlugin, registry: CallbackRegistry },
};

/**
 * Every plugin kind, once, in the order `robustfair list` shows them. The runner's registries,
 * its binding of outside plugins, `list` and `schema` all read this table, so a new kind is one
 * entry here (plus the places a config names it, in the runner).
 */
export const pluginKinds: readonly PluginKindEntry[] = (Object.keys(entries) as PluginKind[]).map((kind) => ({ kind, ...entries[kind] }));

/** The table's entry of `kind`; throws for a kind it does not list (e.g. an outside plugin's typo). */
export function pluginKindEntry(kind: string): PluginKindEntry {
  const entry = pluginKinds.find((candidate) => candidate.kind === kind);
  if (!entry) throw new Error(`unknown plugin kind '${kind}'; the kinds are ${pluginKinds.map((candidate) => `'${candidate.kind}'`).join(', ')}`);
  return entry;
}
