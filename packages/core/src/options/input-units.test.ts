import { describe, expect, it } from 'vitest';
import { inputUnits } from './input-units.js';

describe(inputUnits, () => {
  it('reads numbers and fractions', () => {
    expect(inputUnits().parse(0.5)).toBe(0.5);
    expect(inputUnits().parse('8/255')).toBe(8 / 255);
  });
  it('rejects pixel integers and garbage', () => {
    expect(inputUnits().safeParse(8).success).toBe(false);
    expect(inputUnits().safeParse('eight').success).toBe(false);
  });
});
