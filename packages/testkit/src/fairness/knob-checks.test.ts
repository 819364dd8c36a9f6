import { describe, expect, it } from 'vitest';
import { assertValidKnobs } from './knob-checks.js';

describe(assertValidKnobs, () => {
  it('accepts empty knobs and full knobs of the right length', () => {
    expect(() => assertValidKnobs({}, 2)).not.toThrow();
    expect(() =>
      assertValidKnobs(
        {
          epsilon: [0.03, 0.03],
          naturalWeight: [1, 1],
          robustWeight: [0.5, 1.5],
          temperature: { natural: [1, 2], adversarial: [1, 2] },
          reduction: 'weight-normalised',
        },
        2,
      ),
    ).not.toThrow();
  });

  it('rejects a wrong length, naming the knob', () => {
    expect(() => assertValidKnobs({ robustWeight: [1, 1, 1] }, 2)).toThrow(/robustWeight has 3 entries, expected numClasses = 2/);
  });

  it('rejects NaN and Infinity, naming the class', () => {
    expect(() => assertValidKnobs({ naturalWeight: [1, Number.NaN] }, 2)).toThrow(/naturalWeight\[1\] is NaN/);
    expect(() => assertValidKnobs({ temperature: { natural: [Number.POSITIVE_INFINITY, 1] } }, 2)).toThrow(
      /temperature.natural\[0\] is Infinity/,
    );
  });

  it('rejects an unknown field such as a misspelt weight', () => {
    expect(() => assertValidKnobs({ robustWeights: [1, 1] } as never, 2)).toThrow(/unknown field 'robustWeights'/);
  });
});
