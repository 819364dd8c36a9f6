import {
  type AnyPluginDescriptor,
  DuplicatePluginError,
  NoSuchPluginError,
  type PluginRegistry,
} from '@robustfair/spec';
import { parseOptions } from '../options/parse-options.js';

/**
 * Builds a registry from a list of descriptors of one kind. A duplicate id is an error at
 * construction (Lightning's rule); an unknown id is an error listing the available ids.
 */
export function createPluginRegistry<Descriptor extends AnyPluginDescriptor>(
  kind: Descriptor['kind'],
  plugins: readonly Descriptor[],
): PluginRegistry<Descriptor> {
  const byId = new Map<string, Descriptor>();
  for (const plugin of plugins) {
    if (plugin.kind !== kind) {
      throw new TypeError(`plugin '${plugin.id}' is a ${plugin.kind} plugin, not a ${kind} plugin`);
    }
    if (byId.has(plugin.id)) throw new DuplicatePluginError(kind, plugin.id, [...byId.keys()]);
    byId.set(plugin.id, plugin);
  }
  return {
    kind,
    ids: () => [...byId.keys()],
    has: (id) => byId.has(id),
    get: (id) => {
      const plugin = byId.get(id);
      if (!plugin) throw new NoSuchPluginError(kind, id, [...byId.keys()]);
      return plugin;
    },
  };
}

/** A plugin choice as written in a config. */
export interface PluginChoice {
  readonly id: string;
  readonly options?: unknown;
}

/** What instantiating a choice gives: the instance and the resolved options results record. */
export interface Instantiated<Instance> {
  readonly id: string;
  readonly options: unknown;
  readonly instance: Instance;
}

/**
 * Looks a choice up, validates its options (errors name `path`.options.<field>) and creates it.
 */
export function instantiatePlugin<Descriptor extends AnyPluginDescriptor>(
  registry: PluginRegistry<Descriptor>,
  choice: PluginChoice,
  context: Parameters<Descriptor['create']>[1],
  path: string = registry.kind,
): Instantiated<ReturnType<Descriptor['create']>> {
  const plugin = registry.get(choice.id);
  const options = parseOptions(plugin.optionsSchema, choice.options ?? {}, `${registry.kind} '${choice.id}' options`, `${path}.options`);
  return { id: choice.id, options, instance: plugin.create(options, context) as ReturnType<Descriptor['create']> };
}
