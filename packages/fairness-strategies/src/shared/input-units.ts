import { z } from 'zod';

const fraction = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)\s*$/;

/**
 * A radius in input units ([0, 1] pixels): a number, or a fraction string like "8/255" as the
 * run's own `training.epsilon` is written. The same rule as core's `inputUnits`, kept here so
 * strategies stay free of tensor packages.
 */
export const inputUnitsSchema = z
  .union([z.number(), z.string().regex(fraction, { message: 'expected a number or a fraction like "8/255"' })])
  .transform((value) => {
    if (typeof value === 'number') return value;
    const [, numerator, denominator] = fraction.exec(value) as RegExpExecArray;
    return Number(numerator) / Number(denominator);
  })
  .pipe(z.number().min(0).max(1, { message: 'must be at most 1 (input units, e.g. "8/255")' }));
