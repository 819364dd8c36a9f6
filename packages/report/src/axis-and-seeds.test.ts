import { describe, expect, it } from 'vitest';
import { percentAxisFor } from './plot-specs.js';
import { renderPlotSvg } from './render-plot.js';
import { formatSeeds } from './report-tables.js';

describe(formatSeeds, () => {
  it('gives the count, then the seeds, so one seed 0 does not read as "no seeds"', () => {
    expect(formatSeeds([0])).toBe('1 (0)');
    expect(formatSeeds([0, 1, 2])).toBe('3 (0, 1, 2)');
  });
});

/** The tick labels of the x axis of a one-axis scatter rendered by Vega. */
async function tickLabels(values: readonly number[], axis: object): Promise<string[]> {
  const svg = await renderPlotSvg(
    {
      data: { values: values.map((x) => ({ x })) },
      width: 360,
      height: 40,
      mark: 'point',
      encoding: { x: { field: 'x', type: 'quantitative', axis: { ...axis, title: null }, scale: { zero: false, padding: 16 } } },
    },
    'ticks',
  );
  return [...svg.matchAll(/<text[^>]*>([^<]*%)<\/text>/g)].map((match) => match[1] as string);
}

describe(percentAxisFor, () => {
  it('takes as many decimals as the spread needs and no finer ticks than it shows', () => {
    expect(percentAxisFor([0.2, 0.6])).toEqual({ format: '.0%', tickMinStep: 0.01 });
    expect(percentAxisFor([0.692, 0.709])).toEqual({ format: '.1%', tickMinStep: 0.001 });
    expect(percentAxisFor([0.7001, 0.7012])).toEqual({ format: '.2%', tickMinStep: 0.0001 });
  });

  it('never repeats a tick label on a zoomed average-vs-worst axis (the fixed .0% format did: 69% 70% 70% 71%)', async () => {
    const before = await tickLabels([0.692, 0.697, 0.703, 0.709], { format: '.0%' });
    expect(new Set(before).size).toBeLessThan(before.length);
    for (const values of [
      [0.692, 0.697, 0.703, 0.709],
      [0.31, 0.36],
      [0.7001, 0.7012],
    ]) {
      const labels = await tickLabels(values, percentAxisFor(values));
      expect(labels.length).toBeGreaterThan(1);
      expect(new Set(labels).size, labels.join(' ')).toBe(labels.length);
    }
  });
});
