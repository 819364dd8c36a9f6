import { describe, expect, it } from 'vitest';
import { rsladPlugin } from './rslad-plugin.js';

describe('rsladPlugin', () => {
  it('defaults lossScale to 1', () => {
    expect(rsladPlugin.optionsSchema.parse({})).toEqual({ lossScale: 1 });
    expect(rsladPlugin.optionsSchema.parse({ lossScale: 10 })).toEqual({ lossScale: 10 });
  });

  it('rejects unknown fields and a non-positive or non-numeric lossScale', () => {
    expect(rsladPlugin.optionsSchema.safeParse({ temperature: 2 }).success).toBe(false);
    expect(rsladPlugin.optionsSchema.safeParse({ lossScale: 0 }).success).toBe(false);
    expect(rsladPlugin.optionsSchema.safeParse({ lossScale: 'ten' }).success).toBe(false);
  });

  it('creates an rslad distiller whose coefficients are 1/6 and 5/6 times lossScale', () => {
    const distiller = rsladPlugin.create(rsladPlugin.optionsSchema.parse({ lossScale: 10 }), { seed: 0 });
    expect([distiller.id, rsladPlugin.kind, rsladPlugin.reference?.year]).toEqual(['rslad', 'distiller', 2021]);
    expect(distiller.coefficients.natural).toBeCloseTo(10 / 6, 12);
    expect(distiller.coefficients.robust).toBeCloseTo(50 / 6, 12);
  });
});
