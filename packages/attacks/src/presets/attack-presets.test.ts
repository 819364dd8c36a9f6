import { InvalidOptionsError, NoSuchPluginError } from '@robustfair/spec';
import { describe, expect, it } from 'vitest';
import { builtinAttacks } from '../builtin-attacks.js';
import { attackPresetIds, attackPresets, createPresetAttack } from './attack-presets.js';

describe('attackPresets', () => {
  it('has unique ids, each naming a built-in plugin whose schema accepts its options', () => {
    expect(new Set(attackPresetIds).size).toBe(attackPresetIds.length);
    expect(attackPresetIds).toEqual(expect.arrayContaining(['fgsm', 'pgd20', 'cw', 'aa', 'fat']));
    for (const preset of attackPresets) {
      const plugin = builtinAttacks.find((candidate) => candidate.id === preset.plugin);
      expect(plugin, preset.id).toBeDefined();
      expect(plugin?.optionsSchema.safeParse(preset.options).success, preset.id).toBe(true);
    }
  });
});

describe(createPresetAttack, () => {
  it.each([
    // docs/methods/evaluation.md (Fair-ARD eval.py): FGSM one 8/255 step from a 0.001 Gaussian start
    ['fgsm', 'fgsm', { init: 'gaussian', modelMode: 'eval' }],
    // 20 steps of 2/255 from U(−ε, ε) on the CE
    ['pgd20', 'pgd', { steps: 20, stepSize: 2 / 255, init: 'uniform', modelMode: 'eval', objective: 'cross-entropy', confidence: 0, restarts: 1 }],
    // the same loop on the CW margin with κ = 50
    ['cw', 'pgd', { steps: 20, stepSize: 2 / 255, init: 'uniform', modelMode: 'eval', objective: 'cw-margin', confidence: 50, restarts: 1 }],
    // AutoAttack standard: 100 iterations, 9 targets, 5000 queries (docs/methods/autoattack.md)
    ['aa', 'autoattack', { version: 'standard', steps: 100, targets: 9, squareQueries: 5000, eotIterations: 20 }],
    // CFA's FAT mode: τ = 3, 2/255, no noise, train mode (docs/methods/fat.md)
    ['fat', 'fat', { steps: 10, stepSize: 2 / 255, budget: 3, noise: 0, init: 'uniform', freezeRule: 'budget-exhausted', modelMode: 'train' }],
  ])('%s is plugin %s with the Table-1 settings', (id, plugin, options) => {
    const preset = createPresetAttack(id);
    expect({ id: preset.id, plugin: preset.plugin, options: preset.options }).toEqual({ id, plugin, options });
    expect(preset.attack.norm).toBe('linf');
  });

  it('applies overrides through the plugin schema', () => {
    expect(createPresetAttack('aa', { overrides: { steps: 10 } }).options).toMatchObject({ steps: 10, targets: 9 });
    expect(() => createPresetAttack('pgd20', { overrides: { alpha: 0.1 } })).toThrow(InvalidOptionsError);
  });

  it('marks Square black-box and AutoAttack an ensemble', () => {
    expect(createPresetAttack('square').threatModel).toBe('black-box');
    expect(createPresetAttack('aa').threatModel).toBe('ensemble');
    expect(createPresetAttack('pgd20').threatModel).toBe('white-box');
  });

  it('lists the presets for an unknown id', () => {
    expect(() => createPresetAttack('pgd-20')).toThrow(NoSuchPluginError);
    expect(() => createPresetAttack('pgd-20')).toThrow(/no attack preset plugin with id 'pgd-20'; available: 'fgsm', 'pgd20', 'cw', 'aa'/);
  });
});
