import { describe, expect, it } from 'vitest';
import { knobSeries, trainingCurve } from './epoch-series.js';
import type { EpochLine } from './run-files.js';

const line = (epoch: number, knobs: Record<string, unknown>, count: number[], sums: Record<string, number[]>): EpochLine => ({ epoch, knobs, statistics: { count, sums } });

describe(knobSeries, () => {
  it('collects every per-class vector of the knobs, nested ones by dotted name, in the order first seen', () => {
    const epochs = [
      line(0, { temperature: { natural: [1, 1, 1], adversarial: [1, 1, 1] }, reduction: 'mean', epsilon: [0.03, 0.03] }, [1, 1, 1], {}),
      line(1, { temperature: { natural: [1.1, 1, 0.9], adversarial: [1.2, 1, 0.8] }, robustWeight: [2, 1, 0.5] }, [1, 1, 1], {}),
    ];
    expect(knobSeries(epochs, 3)).toEqual([
      { knob: 'temperature.natural', epochs: [0, 1], values: [[1, 1, 1], [1.1, 1, 0.9]] },
      { knob: 'temperature.adversarial', epochs: [0, 1], values: [[1, 1, 1], [1.2, 1, 0.8]] },
      // set from epoch 1 on only; `epsilon` has 2 entries for 3 classes and `reduction` is no vector
      { knob: 'robustWeight', epochs: [1], values: [[2, 1, 0.5]] },
    ]);
  });

  it('is empty for a strategy without knobs (identity)', () => {
    expect(knobSeries([line(0, {}, [1, 1], {}), line(1, {}, [1, 1], {})], 2)).toEqual([]);
  });
});

describe(trainingCurve, () => {
  it('gives Σ correct / Σ count and the lowest class accuracy from the robust-error sums', () => {
    const epochs = [
      // classes 3/4, 2/4, 0/2 correct: average 5/10, worst 0
      line(0, {}, [4, 4, 2], { 'robust-error': [1, 2, 2] }),
      // a class without samples is no class: 3/4 and 1/4 correct → average 4/8, worst 1/4
      line(1, {}, [4, 0, 4], { 'robust-error': [1, 0, 3] }),
      // no robust-error recorded: left out
      line(2, {}, [4, 4, 2], { 'natural-error': [0, 0, 0] }),
    ];
    expect(trainingCurve(epochs)).toEqual([
      { epoch: 0, average: 0.5, worst: 0 },
      { epoch: 1, average: 0.5, worst: 0.25 },
    ]);
    expect(trainingCurve(epochs, 'natural-error')).toEqual([{ epoch: 2, average: 1, worst: 1 }]);
  });

  it('leaves out an epoch whose sums are NaN (null in the file after a divergence)', () => {
    const epochs = [line(0, {}, [2, 2], { 'robust-error': [1, 0] }), line(1, {}, [2, 2], { 'robust-error': [Number.NaN, 1] })];
    // epoch 0: 3/4 correct, worst class 1/2
    expect(trainingCurve(epochs)).toEqual([{ epoch: 0, average: 0.75, worst: 0.5 }]);
  });
});
