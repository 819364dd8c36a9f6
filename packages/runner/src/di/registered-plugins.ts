import {
  AttackRegistry,
  CallbackRegistry,
  DatasetRegistry,
  DistillerRegistry,
  FairnessStrategyRegistry,
  MetricRegistry,
  ModelRegistry,
  ObjectiveRegistry,
  type AnyPluginDescriptor,
  type PluginRegistry,
} from '@robustfair/spec';
import type { Container } from 'inversify';
import { resolve } from './resolve.js';

/** Every plugin registry of a root container with the name of its kind, in a fixed order (`robustfair list`). */
export function pluginRegistriesByKind(root: Container): readonly (readonly [kind: string, registry: PluginRegistry])[] {
  return [
    ['datasets', resolve(root, DatasetRegistry)],
    ['models', resolve(root, ModelRegistry)],
    ['objectives', resolve(root, ObjectiveRegistry)],
    ['attacks', resolve(root, AttackRegistry)],
    ['distillers', resolve(root, DistillerRegistry)],
    ['fairness strategies', resolve(root, FairnessStrategyRegistry)],
    ['metrics', resolve(root, MetricRegistry)],
    ['callbacks', resolve(root, CallbackRegistry)],
  ];
}

/**
 * Every plugin descriptor a root container knows (built-ins and outside plugins), kind by kind
 * in registration order: what `robustfair schema` describes.
 */
export function registeredPlugins(root: Container): AnyPluginDescriptor[] {
  return pluginRegistriesByKind(root).flatMap(([, registry]) => registry.ids().map((id) => registry.get(id)));
}
