import { builtinAttacks } from '@robustfair/attacks';
import { createPluginRegistry } from '@robustfair/core';
import { InvalidOptionsError, type AttackPlugin } from '@robustfair/spec';
import { describe, expect, it } from 'vitest';
import { createEvaluationAttacks, evaluationAttackName } from './evaluation-attacks.js';
import { evaluationAttackSchema } from './experiment-spec.js';

const registry = createPluginRegistry<AttackPlugin>('attack', builtinAttacks);
const context = () => ({ seed: 0 });

describe(createEvaluationAttacks, () => {
  it('makes presets, presets with overrides and plugin choices, named as configured', () => {
    const configs = [
      'fgsm',
      { preset: 'pgd20', name: 'pgd5', overrides: { steps: 5 } },
      { name: 'pgd-l2', attack: { id: 'pgd-l2', options: { steps: 3 } } },
    ].map((entry) => evaluationAttackSchema.parse(entry));
    const attacks = createEvaluationAttacks(configs, registry, context);
    expect(attacks.map((attack) => attack.id)).toEqual(['fgsm', 'pgd5', 'pgd-l2']);
    expect(attacks[1]!.options).toMatchObject({ steps: 5 });
    expect(configs.map(evaluationAttackName)).toEqual(['fgsm', 'pgd5', 'pgd-l2']);
  });

  it('passes perClass through to the suite for presets and plugin choices', () => {
    const configs = [
      { preset: 'aa', name: 'aa-500', perClass: 50 },
      { name: 'pgd-few', attack: { id: 'pgd', options: { steps: 2 } }, perClass: 3 },
      'fgsm',
    ].map((entry) => evaluationAttackSchema.parse(entry));
    expect(createEvaluationAttacks(configs, registry, context).map((attack) => attack.perClass)).toEqual([50, 3, undefined]);
    expect(evaluationAttackSchema.safeParse({ preset: 'aa', perClass: 0 }).success).toBe(false);
  });

  it('names an unknown preset with the allowed ones', () => {
    const attempt = () => createEvaluationAttacks(['pgd-20'], registry, context);
    expect(attempt).toThrow(InvalidOptionsError);
    expect(attempt).toThrow(/evaluation\.attacks\.0: unknown attack preset 'pgd-20'; allowed: .*'pgd20'/);
  });

  it('refuses a training-only preset and duplicate names', () => {
    expect(() => createEvaluationAttacks(['fat'], registry, context)).toThrow(/cannot evaluate/);
    expect(() => createEvaluationAttacks(['pgd20', 'pgd20'], registry, context)).toThrow(/two attacks are named 'pgd20'/);
  });
});
