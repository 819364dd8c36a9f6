import { describe, expect, it } from 'vitest';
import { tradesPlugin } from './trades-plugin.js';

describe('tradesPlugin', () => {
  it('defaults beta to 6', () => {
    expect(tradesPlugin.optionsSchema.parse({})).toEqual({ beta: 6 });
    expect(tradesPlugin.optionsSchema.parse({ beta: 1 })).toEqual({ beta: 1 });
  });

  it('rejects unknown fields and a negative or non-numeric beta', () => {
    expect(tradesPlugin.optionsSchema.safeParse({ lambda: 6 }).success).toBe(false);
    expect(tradesPlugin.optionsSchema.safeParse({ beta: -1 }).success).toBe(false);
    expect(tradesPlugin.optionsSchema.safeParse({ beta: 'six' }).success).toBe(false);
  });

  it('creates a trades objective whose robust coefficient is beta', () => {
    const objective = tradesPlugin.create(tradesPlugin.optionsSchema.parse({ beta: 3 }), { seed: 0 });
    expect([objective.id, objective.coefficients.robust, tradesPlugin.reference?.year]).toEqual(['trades', 3, 2019]);
  });
});
