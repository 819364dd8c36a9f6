import { describe, expect, it } from 'vitest';
import { deriveSeed } from './derive-seed.js';
import { createSeededRandom } from './seeded-random.js';

describe(deriveSeed, () => {
  it('is a pure function of its parts', () => {
    expect(deriveSeed(7, 'attack', 3, 1)).toBe(deriveSeed(7, 'attack', 3, 1));
  });
  it('separates streams by label, position and parent seed', () => {
    const seeds = new Set([deriveSeed(7, 'attack', 3, 1), deriveSeed(7, 'attack', 1, 3), deriveSeed(7, 'shuffle', 3, 1), deriveSeed(8, 'attack', 3, 1)]);
    expect(seeds.size).toBe(4);
  });
  it('gives non-negative 31-bit integers', () => {
    for (let seed = 0; seed < 100; seed++) {
      const derived = deriveSeed(seed, 'x');
      expect(Number.isInteger(derived) && derived >= 0 && derived < 2 ** 31).toBe(true);
    }
  });
});

describe(createSeededRandom, () => {
  it('repeats under the same seed and differs under another', () => {
    const draw = (seed: number) => {
      const random = createSeededRandom(seed);
      return [random.float(), random.int(0, 9), random.normal()];
    };
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });
  it('permutes without losing or repeating elements', () => {
    const permutation = createSeededRandom(3).permutation(50);
    expect([...permutation].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(permutation).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
  it('draws standard normals with mean ≈ 0 and variance ≈ 1', () => {
    const random = createSeededRandom(5);
    const values = Array.from({ length: 20000 }, () => random.normal());
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
