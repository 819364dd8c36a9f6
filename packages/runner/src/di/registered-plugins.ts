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

/**
 * Every plugin descriptor a root container knows (built-ins and outside plugins), kind by kind
 * in registration order: what `robustfair schema` describes.
 */
export function registeredPlugins(root: Container): AnyPluginDescriptor[] {
  const registries: PluginRegistry[] = [
    resolve(root, DatasetRegistry),
    resolve(root, ModelRegistry),
    resolve(root, ObjectiveRegistry),
    resolve(root, AttackRegistry),
    resolve(root, DistillerRegistry),
    resolve(root, FairnessStrategyRegistry),
    resolve(root, MetricRegistry),
    resolve(root, CallbackRegistry),
  ];
  return registries.flatMap((registry) => registry.ids().map((id) => registry.get(id)));
}
