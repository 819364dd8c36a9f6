import { parseOptions } from '@robustfair/core';
import { InvalidOptionsError } from '@robustfair/spec';
import { describe, expect, it } from 'vitest';
import { pgdPlugin } from './pgd-plugin.js';

describe('pgdPlugin', () => {
  it('fills the defaults', () => {
    expect(pgdPlugin.optionsSchema.parse({})).toEqual({
      steps: 10,
      stepSize: 2 / 255,
      init: 'uniform',
      modelMode: 'eval',
      objective: 'cross-entropy',
      confidence: 0,
      restarts: 1,
    });
  });

  it('accepts the CW margin objective with its κ and restarts', () => {
    expect(pgdPlugin.optionsSchema.parse({ objective: 'cw-margin', confidence: 50, restarts: 3 })).toMatchObject({
      objective: 'cw-margin',
      confidence: 50,
      restarts: 3,
    });
    expect(pgdPlugin.optionsSchema.safeParse({ confidence: -1 }).success).toBe(false);
    expect(pgdPlugin.optionsSchema.safeParse({ restarts: 0 }).success).toBe(false);
  });

  it('reads step sizes written as fractions of 255', () => {
    expect(pgdPlugin.optionsSchema.parse({ steps: 20, stepSize: '2/255' })).toMatchObject({ steps: 20, stepSize: 2 / 255 });
  });

  it('rejects unknown fields, bad enum values and abbreviations', () => {
    expect(pgdPlugin.optionsSchema.safeParse({ eps: 0.03 }).success).toBe(false);
    expect(pgdPlugin.optionsSchema.safeParse({ init: 'random' }).success).toBe(false);
    expect(pgdPlugin.optionsSchema.safeParse({ modelMode: 'training' }).success).toBe(false);
    expect(pgdPlugin.optionsSchema.safeParse({ objective: 'cw' }).success).toBe(false);
    expect(pgdPlugin.optionsSchema.safeParse({ steps: 0 }).success).toBe(false);
    expect(pgdPlugin.optionsSchema.safeParse({ stepSize: 2 }).success).toBe(false);
  });

  it('names the unknown field in the InvalidOptionsError', () => {
    expect(() => parseOptions(pgdPlugin.optionsSchema, { alpha: 0.01 }, "attack 'pgd' options")).toThrow(InvalidOptionsError);
    expect(() => parseOptions(pgdPlugin.optionsSchema, { alpha: 0.01 }, "attack 'pgd' options")).toThrow(/'alpha'/);
  });

  it('creates an L∞ attack with id pgd and cites Madry et al.', () => {
    const attack = pgdPlugin.create(pgdPlugin.optionsSchema.parse({}), { seed: 0 });
    expect([attack.id, attack.norm, pgdPlugin.kind, pgdPlugin.id]).toEqual(['pgd', 'linf', 'attack', 'pgd']);
    expect(pgdPlugin.reference?.year).toBe(2018);
  });
});
