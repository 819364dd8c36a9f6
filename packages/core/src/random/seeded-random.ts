import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A seeded random stream (xoroshiro128+ from pure-rand). Not for tensors: TF.js ops take their own seed. */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  float(): number;
  /** Uniform integer in [from, to], both included. */
  int(from: number, to: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** A new array with the elements in a uniformly random order (Fisher-Yates). */
  shuffled<T>(items: readonly T[]): T[];
  /** 0..n-1 in a random order. */
  permutation(n: number): number[];
}

export function createSeededRandom(seed: number): SeededRandom {
  const generator = xoroshiro128plus(seed);
  const float = () => uniformFloat64(generator);
  const int = (from: number, to: number) => uniformInt(generator, from, to);
  const shuffled = <T>(items: readonly T[]): T[] => {
    const result = items.slice();
    for (let index = result.length - 1; index > 0; index--) {
      const other = int(0, index);
      const swap = result[index] as T;
      result[index] = result[other] as T;
      result[other] = swap;
    }
    return result;
  };
  return {
    float,
    int,
    normal: () => {
      // 1 - float() is in (0, 1], so the log is finite.
      const radius = Math.sqrt(-2 * Math.log(1 - float()));
      return radius * Math.cos(2 * Math.PI * float());
    },
    shuffled,
    permutation: (n) => shuffled(Array.from({ length: n }, (_, index) => index)),
  };
}
