import { describe, expect, it } from 'vitest';
import { assertValidKnobs, setVectors } from './knob-checks.js';

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

describe(setVectors, () => {
  it('lists every class vector a strategy set, ε and temperatures included (the uniform-statistics check covers them all)', () => {
    const vectors = setVectors({
      robustWeight: [1, 1],
      epsilon: [0.03, 0.04],
      temperature: { natural: [1, 2], adversarial: [3, 3] },
      reduction: 'joint-weight-normalised',
    });
    expect(vectors).toEqual([
      { name: 'robustWeight', values: [1, 1] },
      { name: 'epsilon', values: [0.03, 0.04] },
      { name: 'temperature.natural', values: [1, 2] },
      { name: 'temperature.adversarial', values: [3, 3] },
    ]);
    expect(setVectors({})).toEqual([]);
  });

  it("accepts the 'joint-weight-normalised' reduction", () => {
    expect(() => assertValidKnobs({ reduction: 'joint-weight-normalised' }, 2)).not.toThrow();
  });
});
