import { attackPresetIds, createPresetAttack, type SuiteAttack } from '@robustfair/attacks';
import { instantiatePlugin } from '@robustfair/core';
import { InvalidOptionsError, NoSuchPluginError, type AttackRegistry, type JsonValue, type PluginContext } from '@robustfair/spec';
import type { EvaluationAttackConfig } from './experiment-spec.js';

/** The row name an evaluation attack gets in tables and results. */
export function evaluationAttackName(config: EvaluationAttackConfig): string {
  if (typeof config === 'string') return config;
  return 'preset' in config ? (config.name ?? config.preset) : config.name;
}

const subsetOf = (config: EvaluationAttackConfig) => (typeof config !== 'string' && config.perClass !== undefined ? { perClass: config.perClass } : {});

/**
 * Turns `evaluation.attacks` entries into the suite's attacks: presets through
 * `createPresetAttack` (looked up in the registry, so outside attack plugins work too), plugin
 * choices through the registry. Errors name the entry (`evaluation.attacks.<i>`).
 */
export function createEvaluationAttacks(
  configs: readonly EvaluationAttackConfig[],
  registry: AttackRegistry,
  context: (name: string) => PluginContext,
): SuiteAttack[] {
  const names = configs.map(evaluationAttackName);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) {
    throw new InvalidOptionsError('config', [{ path: 'evaluation.attacks', message: `two attacks are named '${duplicate}'; give one a "name"` }]);
  }
  return configs.map((config, index) => {
    const name = names[index] as string;
    const path = `evaluation.attacks.${index}`;
    if (typeof config !== 'string' && 'attack' in config) {
      const made = instantiatePlugin(registry, config.attack, context(name), `${path}.attack`);
      return { id: name, attack: made.instance, plugin: made.id, options: made.options as JsonValue, ...subsetOf(config) };
    }
    const preset = typeof config === 'string' ? config : config.preset;
    const overrides = typeof config === 'string' ? undefined : config.overrides;
    try {
      const made = createPresetAttack(preset, {
        context: context(name),
        plugins: registry.ids().map((id) => registry.get(id)),
        ...(overrides ? { overrides: overrides as Record<string, JsonValue> } : {}),
      });
      if (made.purpose !== 'evaluation') {
        throw new InvalidOptionsError('config', [{ path, message: `preset '${preset}' attacks in training mode and cannot evaluate` }]);
      }
      return { id: name, attack: made.attack, threatModel: made.threatModel, plugin: made.plugin, options: made.options, ...subsetOf(config) };
    } catch (error) {
      if (error instanceof NoSuchPluginError && error.id === preset) {
        throw new InvalidOptionsError('config', [
          { path, message: `unknown attack preset '${preset}'; allowed: ${attackPresetIds.map((id) => `'${id}'`).join(', ')}` },
        ]);
      }
      throw error;
    }
  });
}
