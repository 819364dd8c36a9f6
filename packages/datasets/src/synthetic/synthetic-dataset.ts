import { createSeededRandom, deriveSeed, parseOptions } from '@robustfair/core';
import type { Dataset, Split } from '@robustfair/spec';
import { z } from 'zod';
import { createInMemoryDataset, type InMemorySplit } from '../in-memory/in-memory-dataset.js';

/**
 * The default difficulty: about 30% of the classes (at least one) are hard (1), the rest easy
 * (0). Hard classes are spread evenly over the ids (3, 6 and 9 of 10), so a prefix of the classes
 * is never all easy. Written as a function of `numClasses` so no class count is hard-coded.
 */
export function defaultDifficulty(numClasses: number): number[] {
  const hardCount = Math.max(1, Math.round(0.3 * numClasses));
  // Class c is hard when the line k·c/C crosses an integer between c and c + 1: k evenly spaced classes.
  return Array.from({ length: numClasses }, (_, c) =>
    Math.floor(((c + 1) * hardCount) / numClasses) > Math.floor((c * hardCount) / numClasses) ? 1 : 0,
  );
}

/** Images per class and split: a million is beyond any synthetic experiment (docs/security.md). */
const maximumPerClass = 1_000_000;
/** Values of all splits together: 2^28 float32 = 1 GiB (CIFAR-10 is 1.8·10^8), so the arrays stay allocatable. */
const maximumValues = 2 ** 28;
const count = (fallback: number) => z.number().int().min(0).max(maximumPerClass).default(fallback);
const unitInterval = (fallback: number) => z.number().min(0).max(1).default(fallback);

/**
 * Options of the synthetic dataset (zod, strict: unknown fields are errors). The output fills
 * every default, `difficulty` included, so results record exactly what generated the data.
 */
export const syntheticDatasetOptionsSchema = z
  .strictObject({
    /** At most 1000 (ImageNet's): per-class vectors, one-hot matrices and reports grow with it. */
    numClasses: z.number().int().min(2).max(1000).default(10),
    /** Height and width of the square images. */
    imageSize: z.number().int().min(2).max(1024).default(16).describe('Height and width of the square images.'),
    channels: z.number().int().min(1).max(16).default(3),
    trainPerClass: count(200),
    validationPerClass: count(50),
    testPerClass: count(100),
    /** Per class, in [0, 1]: 0 = easy, 1 = hard. Default: `defaultDifficulty(numClasses)`. */
    difficulty: z.array(z.number().min(0).max(1)).optional().describe('Per class, in [0, 1]: 0 = easy, 1 = hard. Default: `defaultDifficulty(numClasses)`.'),
    /** σ: standard deviation of the noise of an easy class, in pixel units. */
    noiseScale: z.number().min(0).default(0.2).describe('σ: standard deviation of the noise of an easy class, in pixel units.'),
    /** Noise of class c is σ · (1 + noiseGain · d_c). */
    noiseGain: z.number().min(0).default(0.5).describe('Noise of class c is σ · (1 + noiseGain · d_c).'),
    /** Fraction of the prototype's distance to the mean prototype that a class with d_c = 1 loses. */
    separationLoss: unitInterval(0.5),
    /** Fraction of the noise variance that is smooth (low-frequency) rather than per pixel. */
    lowFrequencyNoise: unitInterval(0.5),
    /** Side of the random grid upsampled into prototypes and smooth noise (smaller = smoother). */
    patternGridSize: z.number().int().min(1).max(1024).default(4).describe('Side of the random grid upsampled into prototypes and smooth noise (smaller = smoother).'),
    /** The DATA seed, independent of the run seed: arms that differ only in training seed see the same data. */
    seed: z.number().int().min(0).default(0).describe('The DATA seed, independent of the run seed: arms that differ only in training seed see the same data.'),
  })
  .superRefine((options, context) => {
    const images = options.numClasses * (options.trainPerClass + options.validationPerClass + options.testPerClass);
    const values = images * options.imageSize * options.imageSize * options.channels;
    if (values > maximumValues) {
      context.addIssue({
        code: 'custom',
        path: [],
        message: `the splits would hold ${images} images of ${options.imageSize}×${options.imageSize}×${options.channels} (${values} values), more than the limit of ${maximumValues} (1 GiB of float32)`,
      });
    }
    if (options.difficulty !== undefined && options.difficulty.length !== options.numClasses) {
      context.addIssue({
        code: 'custom',
        path: ['difficulty'],
        message: `has ${options.difficulty.length} entries but numClasses is ${options.numClasses} (one difficulty per class)`,
      });
    }
  })
  // `overwrite`, not `transform`: it fills the default while keeping the schema representable
  // as JSON Schema in both input and output mode (a transform cannot be represented).
  .overwrite((options) => ({ ...options, difficulty: options.difficulty ?? defaultDifficulty(options.numClasses) }));

/** Raw options as written in a config (every field optional). */
export type SyntheticDatasetInput = z.input<typeof syntheticDatasetOptionsSchema>;
/** Parsed options (every default filled in, `difficulty` included, though its type stays optional). */
export type SyntheticDatasetOptions = z.output<typeof syntheticDatasetOptionsSchema>;
type ResolvedOptions = SyntheticDatasetOptions & { readonly difficulty: readonly number[] };

/**
 * A seeded image dataset with controllable per-class difficulty, so that some classes are
 * measurably harder to classify (and to classify robustly) than others: the setting robust
 * fairness methods are about, without downloading CIFAR-10.
 *
 * Each class c has a smooth random base pattern B_c (a `patternGridSize` grid of uniform values
 * in [0.2, 0.8] per channel, bilinearly upsampled). With M the mean pattern and d_c the class's
 * difficulty, the prototype is P_c = M + (1 − separationLoss · d_c) · (B_c − M): a hard class
 * collapses toward the mean and so toward every other class, shrinking its margin. A sample is
 * clip(P_c + σ · (1 + noiseGain · d_c) · n, 0, 1), with n a unit-variance mix of smooth and
 * per-pixel Gaussian noise, so a hard class is also noisier. Both effects make a hard class's
 * samples lie closer to the decision boundary, where a small ε-ball crosses it.
 *
 * Deterministic: the same options give bit-identical data (xoroshiro128+ via
 * `createSeededRandom`, never `Math.random`). Prototypes come from `deriveSeed(seed,
 * 'prototypes')` and each split from its own stream `deriveSeed(seed, split)`, so changing
 * `trainPerClass` does not change the test set. Samples are interleaved by class (index i has
 * label i mod numClasses), so unshuffled batches contain every class.
 *
 * @example
 * const dataset = createSyntheticDataset({ numClasses: 4, imageSize: 8, difficulty: [0, 0, 0.5, 1] });
 */
export function createSyntheticDataset(input: SyntheticDatasetInput = {}): Dataset {
  const parsed = parseOptions(syntheticDatasetOptionsSchema, input, 'synthetic dataset options');
  const options: ResolvedOptions = { ...parsed, difficulty: parsed.difficulty ?? defaultDifficulty(parsed.numClasses) };
  const prototypes = buildPrototypes(options);
  const makeSplit = (split: Split, perClass: number): InMemorySplit => generateSplit(options, prototypes, split, perClass);
  return createInMemoryDataset({
    id: 'synthetic',
    numClasses: options.numClasses,
    inputShape: [options.imageSize, options.imageSize, options.channels],
    splits: {
      train: makeSplit('train', options.trainPerClass),
      validation: makeSplit('validation', options.validationPerClass),
      test: makeSplit('test', options.testPerClass),
    },
  });
}

/**
 * A smooth random field: a `grid × grid × channels` array of draws, bilinearly upsampled to
 * `size × size × channels` (grid corners on the image corners). Returned HWC.
 */
function smoothField(draw: () => number, grid: number, size: number, channels: number): Float32Array {
  const cells = new Float64Array(grid * grid * channels);
  for (let index = 0; index < cells.length; index++) cells[index] = draw();
  const field = new Float32Array(size * size * channels);
  const scale = size > 1 ? (grid - 1) / (size - 1) : 0;
  for (let row = 0; row < size; row++) {
    const y = row * scale;
    const y0 = Math.floor(y);
    const y1 = Math.min(y0 + 1, grid - 1);
    const fy = y - y0;
    for (let column = 0; column < size; column++) {
      const x = column * scale;
      const x0 = Math.floor(x);
      const x1 = Math.min(x0 + 1, grid - 1);
      const fx = x - x0;
      for (let channel = 0; channel < channels; channel++) {
        const at = (r: number, c: number) => cells[(r * grid + c) * channels + channel] as number;
        const top = at(y0, x0) * (1 - fx) + at(y0, x1) * fx;
        const bottom = at(y1, x0) * (1 - fx) + at(y1, x1) * fx;
        field[(row * size + column) * channels + channel] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return field;
}

/** P_c for every class, each HWC. */
function buildPrototypes(options: ResolvedOptions): Float32Array[] {
  const { numClasses, imageSize, channels, patternGridSize, separationLoss, difficulty, seed } = options;
  const random = createSeededRandom(deriveSeed(seed, 'prototypes'));
  const grid = Math.min(patternGridSize, imageSize);
  const bases = Array.from({ length: numClasses }, () =>
    smoothField(() => 0.2 + 0.6 * random.float(), grid, imageSize, channels),
  );
  const pixels = imageSize * imageSize * channels;
  const mean = new Float64Array(pixels);
  for (const base of bases) {
    for (let index = 0; index < pixels; index++) mean[index] = (mean[index] as number) + (base[index] as number) / numClasses;
  }
  return bases.map((base, c) => {
    const keep = 1 - separationLoss * (difficulty[c] as number);
    const prototype = new Float32Array(pixels);
    for (let index = 0; index < pixels; index++) {
      const centre = mean[index] as number;
      prototype[index] = centre + keep * ((base[index] as number) - centre);
    }
    return prototype;
  });
}

function generateSplit(options: ResolvedOptions, prototypes: readonly Float32Array[], split: Split, perClass: number): InMemorySplit {
  const { numClasses, imageSize, channels, patternGridSize, noiseScale, noiseGain, lowFrequencyNoise, difficulty, seed } = options;
  const random = createSeededRandom(deriveSeed(seed, split));
  const pixels = imageSize * imageSize * channels;
  const size = perClass * numClasses;
  const images = new Float32Array(size * pixels);
  const labels = new Int32Array(size);
  const grid = Math.min(patternGridSize, imageSize);
  // Weights that keep the mixed noise at unit variance at the grid points (bilinear
  // interpolation lowers it between them, which only makes the smooth part a little weaker).
  const smoothWeight = Math.sqrt(lowFrequencyNoise);
  const pixelWeight = Math.sqrt(1 - lowFrequencyNoise);
  const normal = () => random.normal();
  for (let sample = 0; sample < size; sample++) {
    const label = sample % numClasses;
    labels[sample] = label;
    const prototype = prototypes[label] as Float32Array;
    const sigma = noiseScale * (1 + noiseGain * (difficulty[label] as number));
    const smooth = smoothField(normal, grid, imageSize, channels);
    const offset = sample * pixels;
    for (let index = 0; index < pixels; index++) {
      const noise = smoothWeight * (smooth[index] as number) + pixelWeight * random.normal();
      const value = (prototype[index] as number) + sigma * noise;
      images[offset + index] = value < 0 ? 0 : value > 1 ? 1 : value;
    }
  }
  return { images, labels };
}
