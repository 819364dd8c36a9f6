import { describe, expect, it } from 'vitest';
import { ardPlugin } from './ard-plugin.js';

describe('ardPlugin', () => {
  it('defaults to the reference code: α = 1, T = 30', () => {
    expect(ardPlugin.optionsSchema.parse({})).toEqual({ distillationWeight: 1, temperature: 30 });
    expect(ardPlugin.optionsSchema.parse({ distillationWeight: 0.9, temperature: 4 })).toEqual({ distillationWeight: 0.9, temperature: 4 });
  });

  it('rejects unknown fields, α outside [0, 1] and a non-positive temperature', () => {
    expect(ardPlugin.optionsSchema.safeParse({ alpha: 1 }).success).toBe(false);
    expect(ardPlugin.optionsSchema.safeParse({ distillationWeight: 1.5 }).success).toBe(false);
    expect(ardPlugin.optionsSchema.safeParse({ distillationWeight: -0.1 }).success).toBe(false);
    expect(ardPlugin.optionsSchema.safeParse({ temperature: 0 }).success).toBe(false);
  });

  it('creates an ard distiller with coefficients 1 − α and α·T²', () => {
    const distiller = ardPlugin.create(ardPlugin.optionsSchema.parse({ distillationWeight: 0.5, temperature: 4 }), { seed: 0 });
    expect([distiller.id, ardPlugin.kind, ardPlugin.reference?.year]).toEqual(['ard', 'distiller', 2020]);
    expect(distiller.coefficients).toEqual({ natural: 0.5, robust: 8 });
  });
});
