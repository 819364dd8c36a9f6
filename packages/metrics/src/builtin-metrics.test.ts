import type { ClassCounts } from '@robustfair/spec';
import { describe, expect, it } from 'vitest';
import { builtinMetrics } from './builtin-metrics.js';
import { nsdPlugin } from './plugins/nsd-metric.js';

// A = [0.9, 0.5] with counts [10, 30]: Avg 24/40 = 0.6, Worst 0.5, class mean 0.7,
// population NSD 0.2 / 0.7, sample NSD √0.08 / 0.7.
const counts: ClassCounts = { numClasses: 2, count: [10, 30], correct: [9, 15] };

const create = (id: string, raw: unknown = {}) => {
  const plugin = builtinMetrics.find((candidate) => candidate.id === id)!;
  return plugin.create(plugin.optionsSchema.parse(raw), { seed: 0 });
};

describe('builtinMetrics', () => {
  it('lists the four metrics with unique ids', () => {
    expect(builtinMetrics.map((plugin) => plugin.id)).toEqual([
      'average-accuracy',
      'worst-class-accuracy',
      'nsd',
      'mean-class-accuracy',
    ]);
    for (const plugin of builtinMetrics) {
      expect(plugin.kind).toBe('metric');
      expect(create(plugin.id).id).toBe(plugin.id);
    }
  });

  it.each([
    ['average-accuracy', 'higher-is-better', 0.6],
    ['worst-class-accuracy', 'higher-is-better', 0.5],
    ['mean-class-accuracy', 'higher-is-better', 0.7],
    ['nsd', 'lower-is-better', 0.2 / 0.7],
  ])('%s is %s and computes the hand-worked value', (id, direction, value) => {
    const metric = create(id);
    expect(metric.direction).toBe(direction);
    expect(metric.compute(counts)).toBeCloseTo(value, 12);
  });

  it('rejects options on option-less metrics, naming the field', () => {
    const plugin = builtinMetrics.find((candidate) => candidate.id === 'average-accuracy')!;
    expect(plugin.optionsSchema.safeParse({ std: 'sample' }).error?.issues[0]).toMatchObject({
      code: 'unrecognized_keys',
      keys: ['std'],
    });
  });
});

describe('nsdPlugin', () => {
  it('defaults to the population std', () => {
    expect(nsdPlugin.optionsSchema.parse({})).toEqual({ std: 'population' });
  });

  it('computes the sample-std NSD when asked', () => {
    expect(create('nsd', { std: 'sample' }).compute(counts)).toBeCloseTo(Math.sqrt(0.08) / 0.7, 12);
  });

  it('rejects an unknown convention at path std', () => {
    const result = nsdPlugin.optionsSchema.safeParse({ std: 'unbiased' });
    expect(result.error?.issues[0]?.path).toEqual(['std']);
  });

  it('cites ABSLD', () => {
    expect(nsdPlugin.reference?.year).toBe(2024);
  });
});
