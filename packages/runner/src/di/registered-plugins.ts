import { pluginKinds, type AnyPluginDescriptor, type PluginRegistry } from '@robustfair/spec';
import type { Container } from 'inversify';
import { resolve } from './resolve.js';

/** Every plugin registry of a root container with the title of its kind, in `pluginKinds` order (`robustfair list`). */
export function pluginRegistriesByKind(root: Container): readonly (readonly [kind: string, registry: PluginRegistry])[] {
  return pluginKinds.map(({ title, registry }) => [title, resolve(root, registry)] as const);
}

/**
 * Every plugin descriptor a root container knows (built-ins and outside plugins), kind by kind
 * in registration order: what `robustfair schema` describes.
 */
export function registeredPlugins(root: Container): AnyPluginDescriptor[] {
  return pluginRegistriesByKind(root).flatMap(([, registry]) => registry.ids().map((id) => registry.get(id)));
}
