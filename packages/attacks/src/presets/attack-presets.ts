import { parseOptions } from '@robustfair/core';
import { type Attack, type AttackPlugin, type JsonValue, NoSuchPluginError, type PluginContext } from '@robustfair/spec';
import { builtinAttacks } from '../builtin-attacks.js';

/**
 * How an attack reaches the model: gradients (`white-box`), scores only (`black-box`), or an
 * ensemble of both (`ensemble`, AutoAttack). The evaluation suite compares black-box against
 * white-box results to flag gradient masking.
 */
export type ThreatModel = 'white-box' | 'black-box' | 'ensemble';

/** A named evaluation setting: a plugin id plus options, with one id used by configs, CLI and results. */
export interface AttackPreset {
  readonly id: string;
  /** The attack plugin it instantiates. */
  readonly plugin: string;
  /** Options given to the plugin; the plugin's schema fills the rest with its defaults. */
  readonly options: Readonly<Record<string, JsonValue>>;
  readonly threatModel: ThreatModel;
  /** `training` presets (attacking in train mode) change batch-norm statistics and are refused by the evaluation suite. */
  readonly purpose: 'evaluation' | 'training';
  readonly summary: string;
}

/**
 * The evaluation presets (docs/methods/evaluation.md, the seed's Table-1 settings at L∞ ε = 8/255, ε itself
 * given per call), plus single AutoAttack components and `fat`.
 *
 * Presets are a separate namespace from plugin ids: the preset `fgsm` is the `fgsm` plugin with
 * the Gaussian start Fair-ARD's evaluation uses, while the plugin's own default is no start.
 */
export const attackPresets: readonly AttackPreset[] = [
  {
    id: 'fgsm',
    plugin: 'fgsm',
    options: { init: 'gaussian' },
    threatModel: 'white-box',
    purpose: 'evaluation',
    summary: 'FGSM: one ε step on the CE from x + 0.001·N(0, 1)',
  },
  {
    id: 'pgd20',
    plugin: 'pgd',
    options: { steps: 20, stepSize: 2 / 255, init: 'uniform', objective: 'cross-entropy' },
    threatModel: 'white-box',
    purpose: 'evaluation',
    summary: 'PGD-20: 20 steps of 2/255 on the CE from a uniform start',
  },
  {
    id: 'cw',
    plugin: 'pgd',
    options: { steps: 20, stepSize: 2 / 255, init: 'uniform', objective: 'cw-margin', confidence: 50 },
    threatModel: 'white-box',
    purpose: 'evaluation',
    summary: 'CW∞: the PGD-20 loop on the CW margin loss, κ = 50',
  },
  {
    id: 'aa',
    plugin: 'autoattack',
    options: { version: 'standard' },
    threatModel: 'ensemble',
    purpose: 'evaluation',
    summary: 'AutoAttack standard: APGD-CE, APGD-T, FAB-T, Square (100 iterations, 9 targets, 5000 queries)',
  },
  {
    id: 'aa-rand',
    plugin: 'autoattack',
    options: { version: 'rand' },
    threatModel: 'white-box',
    purpose: 'evaluation',
    summary: 'AutoAttack rand: APGD-CE and APGD-DLR with EoT over 20 passes, for randomised models',
  },
  {
    id: 'apgd-ce',
    plugin: 'apgd-ce',
    options: {},
    threatModel: 'white-box',
    purpose: 'evaluation',
    summary: 'APGD-CE, 100 iterations',
  },
  {
    id: 'apgd-t',
    plugin: 'apgd-t',
    options: {},
    threatModel: 'white-box',
    purpose: 'evaluation',
    summary: 'APGD-T, 100 iterations, 9 targets',
  },
  {
    id: 'fab-t',
    plugin: 'fab-t',
    options: {},
    threatModel: 'white-box',
    purpose: 'evaluation',
    summary: 'FAB-T, 100 iterations, 9 targets',
  },
  {
    id: 'square',
    plugin: 'square',
    options: {},
    threatModel: 'black-box',
    purpose: 'evaluation',
    summary: 'Square, 5000 queries',
  },
  {
    id: 'fat',
    plugin: 'fat',
    options: { steps: 10, stepSize: 2 / 255, budget: 3, noise: 0, freezeRule: 'budget-exhausted', modelMode: 'train' },
    threatModel: 'white-box',
    purpose: 'training',
    summary: "CFA's FAT mode: early-stopped PGD-10 of 2/255, τ = 3, train mode (a training attack)",
  },
];

/** Ids of {@link attackPresets}, in order. */
export const attackPresetIds: readonly string[] = attackPresets.map((preset) => preset.id);

/** A preset turned into an attack, with what results must record. */
export interface PresetAttack {
  readonly id: string;
  readonly plugin: string;
  /** The plugin's fully resolved options (preset options, overrides, then defaults). */
  readonly options: JsonValue;
  readonly threatModel: ThreatModel;
  readonly purpose: 'evaluation' | 'training';
  readonly attack: Attack;
}

/** Options of {@link createPresetAttack}. */
export interface CreatePresetAttackOptions {
  /** Passed to the plugin's factory. */
  readonly context?: PluginContext;
  /** Options merged over the preset's (e.g. reduced budgets in CI: `{ steps: 10 }`). */
  readonly overrides?: Readonly<Record<string, JsonValue>>;
  /** Where plugin ids are looked up (default: this package's built-in attacks). */
  readonly plugins?: readonly AttackPlugin[];
}

/**
 * Looks a preset up by id and instantiates it through its plugin's options schema, so unknown
 * or invalid overrides fail with an InvalidOptionsError naming the field. Throws
 * NoSuchPluginError listing the preset ids for an unknown id.
 *
 * @example
 * const { attack, options } = createPresetAttack('pgd20');
 */
export function createPresetAttack(id: string, options: CreatePresetAttackOptions = {}): PresetAttack {
  const preset = attackPresets.find((candidate) => candidate.id === id);
  if (preset === undefined) throw new NoSuchPluginError('attack preset', id, attackPresetIds);
  const plugins = options.plugins ?? builtinAttacks;
  const plugin = plugins.find((candidate) => candidate.id === preset.plugin);
  if (plugin === undefined) throw new NoSuchPluginError('attack', preset.plugin, plugins.map((candidate) => candidate.id));
  const resolved = parseOptions(plugin.optionsSchema, { ...preset.options, ...options.overrides }, `attack preset '${id}' options`);
  return {
    id,
    plugin: plugin.id,
    options: resolved as JsonValue,
    threatModel: preset.threatModel,
    purpose: preset.purpose,
    attack: plugin.create(resolved, options.context ?? { seed: 0 }),
  };
}
