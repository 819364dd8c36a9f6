import { describe, expect, it } from 'vitest';
import { fgsmPlugin } from './fgsm-plugin.js';

describe('fgsmPlugin', () => {
  it('fills the defaults', () => {
    expect(fgsmPlugin.optionsSchema.parse({})).toEqual({ init: 'none', modelMode: 'eval' });
  });

  it('rejects unknown fields and bad enum values', () => {
    expect(fgsmPlugin.optionsSchema.safeParse({ epsilon: 0.03 }).success).toBe(false);
    expect(fgsmPlugin.optionsSchema.safeParse({ init: 'normal' }).success).toBe(false);
    expect(fgsmPlugin.optionsSchema.safeParse({ modelMode: 'test' }).success).toBe(false);
  });

  it('creates an L∞ attack with id fgsm and cites Goodfellow et al.', () => {
    const attack = fgsmPlugin.create(fgsmPlugin.optionsSchema.parse({ init: 'gaussian' }), { seed: 0 });
    expect([attack.id, attack.norm, fgsmPlugin.id]).toEqual(['fgsm', 'linf', 'fgsm']);
    expect(fgsmPlugin.reference?.year).toBe(2015);
  });
});
