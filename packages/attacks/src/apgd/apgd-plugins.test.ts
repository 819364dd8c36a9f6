import type { AttackPlugin } from '@robustfair/spec';
import { describe, expect, it } from 'vitest';
import { autoAttackPlugin } from '../autoattack/auto-attack-plugin.js';
import { fabTargetedPlugin } from '../fab/fab-targeted-plugin.js';
import { fatPlugin } from '../fat/fat-plugin.js';
import { pgdL2Plugin } from '../pgd-l2/pgd-l2-plugin.js';
import { squarePlugin } from '../square/square-plugin.js';
import { apgdCePlugin, apgdDlrPlugin, apgdTargetedPlugin } from './apgd-plugins.js';

describe('attack plugins added with issue 5', () => {
  it.each([
    [apgdCePlugin, 'apgd-ce', { steps: 100, restarts: 1, rho: 0.75, norm: 'linf', eotIterations: 1, modelMode: 'eval' }],
    [apgdDlrPlugin, 'apgd-dlr', { steps: 100, restarts: 1, rho: 0.75, norm: 'linf', eotIterations: 1, modelMode: 'eval' }],
    [apgdTargetedPlugin, 'apgd-t', { steps: 100, restarts: 1, rho: 0.75, norm: 'linf', eotIterations: 1, modelMode: 'eval', targets: 9 }],
    [fabTargetedPlugin, 'fab-t', { steps: 100, targets: 9, alphaMax: 0.1, overshoot: 1.05, backtrack: 0.9, modelMode: 'eval' }],
    [squarePlugin, 'square', { queries: 5000, initialFraction: 0.8, modelMode: 'eval', earlyStopEvery: 50 }],
    [autoAttackPlugin, 'autoattack', { version: 'standard', steps: 100, targets: 9, squareQueries: 5000, eotIterations: 20 }],
    [fatPlugin, 'fat', { steps: 10, stepSize: 2 / 255, budget: 3, noise: 0, init: 'uniform', freezeRule: 'budget-exhausted', modelMode: 'eval' }],
    [pgdL2Plugin, 'pgd-l2', { steps: 10, stepSize: 0.1, init: 'uniform', modelMode: 'eval', objective: 'cross-entropy', confidence: 0, restarts: 1 }],
  ] as [AttackPlugin, string, object][])('%#: %s fills its documented defaults and creates an attack with the same id', (plugin, id, defaults) => {
    expect(plugin.id).toBe(id);
    expect(plugin.optionsSchema.parse({})).toEqual(defaults);
    expect(plugin.create(plugin.optionsSchema.parse({}), { seed: 0 }).id).toBe(id);
    expect(plugin.reference?.year).toBeGreaterThanOrEqual(2018);
  });

  it('rejects unknown fields and abbreviations', () => {
    expect(apgdCePlugin.optionsSchema.safeParse({ n_iter: 10 }).success).toBe(false);
    expect(apgdTargetedPlugin.optionsSchema.safeParse({ targets: 0 }).success).toBe(false);
    expect(squarePlugin.optionsSchema.safeParse({ p_init: 0.3 }).success).toBe(false);
    expect(autoAttackPlugin.optionsSchema.safeParse({ version: 'plus' }).success).toBe(false);
    expect(fatPlugin.optionsSchema.safeParse({ tau: 2 }).success).toBe(false);
  });
});
