import { describe, expect, it } from 'vitest';
import { parseWorkers } from './common-options.js';

describe(parseWorkers, () => {
  it('takes a whole number of at least 1', () => {
    expect(parseWorkers('1')).toBe(1);
    expect(parseWorkers('4')).toBe(4);
  });

  it.each(['0', '-1', '1.5', 'two', ''])('refuses %j with a clear message', (value) => {
    expect(() => parseWorkers(value)).toThrow(`expected a whole number of at least 1, got '${value}'`);
  });
});
