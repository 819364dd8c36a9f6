import type { ClassStatistics } from '@robustfair/spec';
import { createClassStatistics } from './create-class-statistics.js';

/**
 * Statistics for one epoch with every `ClassSignal` present as sums, drawn from `seed`.
 * Counts are 1..40 per class; error sums are consistent (natural ≤ robust, boundary = robust −
 * natural); loss sums are count × a mean in a plausible range; `kappa` sums are count × a mean
 * number of attack steps in [0, 10].
 */
export function createRandomClassStatistics(options: {
  readonly numClasses: number;
  readonly epoch: number;
  readonly split: 'train' | 'validation';
  readonly seed: number;
}): ClassStatistics {
  const random = createFixtureRandom(options.seed);
  const count = Array.from({ length: options.numClasses }, () => random.int(1, 40));
  const naturalError = count.map((n) => random.int(0, n));
  const robustError = count.map((n, classIndex) => random.int(naturalError[classIndex] ?? 0, n));
  const lossSums = (low: number, high: number) => count.map((n) => n * (low + (high - low) * random.float()));
  const naturalLoss = lossSums(0.05, 2.5);
  const robustLoss = lossSums(0.5, 3);
  const naturalCrossEntropy = lossSums(0.05, 2.5);
  const robustCrossEntropy = lossSums(0.5, 3);
  // Drawn last so the streams of the signals above are unchanged: a mean of 0..10 attack steps.
  const kappa = lossSums(0, 10);
  return createClassStatistics({
    epoch: options.epoch,
    split: options.split,
    count,
    sums: {
      'natural-error': naturalError,
      'robust-error': robustError,
      'boundary-error': robustError.map((wrong, classIndex) => wrong - (naturalError[classIndex] ?? 0)),
      'natural-loss': naturalLoss,
      'robust-loss': robustLoss,
      'natural-ce': naturalCrossEntropy,
      'robust-ce': robustCrossEntropy,
      kappa,
    },
  });
}

/** Statistics where every class has the same count and the same mean of every signal. */
export function createUniformClassStatistics(options: {
  readonly numClasses: number;
  readonly epoch: number;
  readonly split: 'train' | 'validation';
}): ClassStatistics {
  const filled = (value: number) => Array.from({ length: options.numClasses }, () => value);
  return createClassStatistics({
    epoch: options.epoch,
    split: options.split,
    count: filled(20),
    means: {
      'natural-error': filled(0.25),
      'robust-error': filled(0.5),
      'boundary-error': filled(0.25),
      'natural-loss': filled(0.75),
      'robust-loss': filled(1.5),
      'natural-ce': filled(0.75),
      'robust-ce': filled(1.5),
      kappa: filled(5),
    },
  });
}

/**
 * mulberry32: a tiny seeded stream for fixtures. Kept local so the suite does not load
 * `@robustfair/core` (and the fit loop) just to draw a few integers.
 */
function createFixtureRandom(seed: number): { float(): number; int(from: number, to: number): number } {
  let a = seed >>> 0;
  const float = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { float, int: (from, to) => from + Math.floor(float() * (to - from + 1)) };
}
