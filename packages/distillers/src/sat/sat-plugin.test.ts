import { describe, expect, it } from 'vitest';
import { satPlugin } from './sat-plugin.js';

describe('satPlugin', () => {
  it('takes no options and rejects any field', () => {
    expect(satPlugin.optionsSchema.parse({})).toEqual({});
    expect(satPlugin.optionsSchema.safeParse({ beta: 6 }).success).toBe(false);
  });

  it('creates the sat objective and cites Madry et al.', () => {
    expect(satPlugin.create({}, { seed: 0 }).id).toBe('sat');
    expect([satPlugin.kind, satPlugin.id, satPlugin.reference?.year]).toEqual(['objective', 'sat', 2018]);
  });
});
