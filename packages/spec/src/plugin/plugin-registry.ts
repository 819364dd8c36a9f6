import type { AnyPluginDescriptor } from './plugin-descriptor.js';

/** Lookup of plugins of one kind by id. The runner builds these from DI multi-bindings. */
export interface PluginRegistry<Descriptor extends AnyPluginDescriptor = AnyPluginDescriptor> {
  readonly kind: Descriptor['kind'];
  /** Ids in registration order. */
  ids(): readonly string[];
  /** Throws NoSuchPluginError listing the available ids. */
  get(id: string): Descriptor;
  has(id: string): boolean;
}
