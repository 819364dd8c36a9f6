import { AttackPlugin } from '@robustfair/spec';
import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { builtinAttacks } from '../builtin-attacks.js';
import { attacksModule } from './index.js';

describe('attacksModule', () => {
  it('multi-binds every built-in attack plugin', () => {
    const container = new Container();
    container.load(attacksModule);
    const plugins = container.getAll<AttackPlugin>(AttackPlugin);
    expect(plugins.map((plugin) => plugin.id)).toEqual(['fgsm', 'pgd', 'pgd-l2', 'apgd-ce', 'apgd-dlr', 'apgd-t', 'fab-t', 'square', 'autoattack', 'fat']);
    expect(plugins).toEqual([...builtinAttacks]);
  });
});
