import { z } from 'zod';

const fraction = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)\s*$/;

/**
 * A value in input units ([0, 1] pixels): a number, or a fraction string like "8/255" as
 * RobustBench writes ε. Never the integer 8 (HOUSE-STYLE B3 units rule).
 */
export const inputUnits = (maximum = 1) =>
  z
    .union([
      z.number(),
      z.string().regex(fraction, { message: 'expected a number or a fraction like "8/255"' }),
    ])
    .transform((value) => {
      if (typeof value === 'number') return value;
      const [, numerator, denominator] = fraction.exec(value) as RegExpExecArray;
      return Number(numerator) / Number(denominator);
    })
    .pipe(z.number().min(0).max(maximum, { message: `must be at most ${maximum} (input units, e.g. "8/255")` }));
