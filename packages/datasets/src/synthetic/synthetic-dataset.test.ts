import { InvalidOptionsError, type Dataset, type Split } from '@robustfair/spec';
import { describeDataset } from '@robustfair/testkit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { syntheticDatasetPlugin } from './synthetic-dataset-plugin.js';
import { createSyntheticDataset, defaultDifficulty, syntheticDatasetOptionsSchema } from './synthetic-dataset.js';

const tiny = { numClasses: 3, imageSize: 4, channels: 2, trainPerClass: 4, validationPerClass: 2, testPerClass: 3 } as const;

/** Every image of a split, in index order, read back as one Float32Array, plus the labels. */
async function readSplit(dataset: Dataset, split: Split): Promise<{ images: Float32Array; labels: number[] }> {
  const [height, width, channels] = dataset.inputShape;
  const imageLength = height * width * channels;
  const images = new Float32Array(dataset.size(split) * imageLength);
  const labels: number[] = [];
  let offset = 0;
  for await (const batch of dataset.batches(split, { batchSize: 64, shuffle: false, seed: 0 })) {
    images.set(await batch.inputs.data(), offset);
    offset += batch.inputs.size;
    labels.push(...(await batch.labels.data()));
    batch.inputs.dispose();
    batch.labels.dispose();
  }
  return { images, labels };
}

const bytesOf = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

describeDataset('synthetic', () => createSyntheticDataset(tiny));
describeDataset('synthetic with an empty validation split', () => createSyntheticDataset({ ...tiny, validationPerClass: 0 }));

describe(createSyntheticDataset, () => {
  it('has the configured shape, sizes, class names and interleaved labels', () => {
    const dataset = createSyntheticDataset(tiny);
    expect(dataset.id).toBe('synthetic');
    expect(dataset.inputShape).toEqual([4, 4, 2]);
    expect(dataset.numClasses).toBe(3);
    expect(dataset.classNames).toEqual(['class-0', 'class-1', 'class-2']);
    expect([dataset.size('train'), dataset.size('validation'), dataset.size('test')]).toEqual([12, 6, 9]);
    expect(dataset.labels('validation')).toEqual([0, 1, 2, 0, 1, 2]);
  });

  describe('determinism', () => {
    it('gives bit-identical data for the same options', async () => {
      for (const split of ['train', 'validation', 'test'] as const) {
        const first = await readSplit(createSyntheticDataset({ ...tiny, seed: 5 }), split);
        const second = await readSplit(createSyntheticDataset({ ...tiny, seed: 5 }), split);
        expect(bytesOf(second.images).equals(bytesOf(first.images)), split).toBe(true);
        expect(second.labels).toEqual(first.labels);
      }
    });

    it('gives different data for a different data seed', async () => {
      const first = await readSplit(createSyntheticDataset({ ...tiny, seed: 5 }), 'train');
      const second = await readSplit(createSyntheticDataset({ ...tiny, seed: 6 }), 'train');
      expect(bytesOf(second.images).equals(bytesOf(first.images))).toBe(false);
    });

    it('draws each split from its own stream: splits differ, and resizing one leaves the others unchanged', async () => {
      const base = createSyntheticDataset({ ...tiny, trainPerClass: 3, testPerClass: 3 });
      const train = await readSplit(base, 'train');
      const test = await readSplit(base, 'test');
      expect(bytesOf(train.images).equals(bytesOf(test.images))).toBe(false);
      const moreTraining = await readSplit(createSyntheticDataset({ ...tiny, trainPerClass: 8, testPerClass: 3 }), 'test');
      expect(bytesOf(moreTraining.images).equals(bytesOf(test.images))).toBe(true);
    });

    it('ignores the run seed of the plugin context: the data seed is an option', async () => {
      const options = syntheticDatasetOptionsSchema.parse(tiny);
      const first = await readSplit(syntheticDatasetPlugin.create(options, { seed: 1 }), 'train');
      const second = await readSplit(syntheticDatasetPlugin.create(options, { seed: 2 }), 'train');
      expect(bytesOf(second.images).equals(bytesOf(first.images))).toBe(true);
    });
  });

  describe('options', () => {
    it('defaults difficulty to about 30% hard classes, spread over the ids', () => {
      expect(defaultDifficulty(10)).toEqual([0, 0, 0, 1, 0, 0, 1, 0, 0, 1]);
      expect(defaultDifficulty(2)).toEqual([0, 1]);
      expect(defaultDifficulty(3)).toEqual([0, 0, 1]);
      expect(syntheticDatasetOptionsSchema.parse({ numClasses: 4 }).difficulty).toEqual([0, 0, 0, 1]);
      expect(syntheticDatasetOptionsSchema.parse({}).difficulty).toEqual(defaultDifficulty(10));
    });

    it('can be described as JSON Schema for configs, in input and output mode', () => {
      for (const io of ['input', 'output'] as const) {
        const schema = z.toJSONSchema(syntheticDatasetOptionsSchema, { io }) as { properties: Record<string, { default?: unknown }> };
        expect(schema.properties['numClasses']?.default, io).toBe(10);
        expect(Object.keys(schema.properties), io).toContain('difficulty');
      }
    });

    it('rejects a difficulty vector whose length is not numClasses, naming both', () => {
      const make = () => createSyntheticDataset({ numClasses: 3, difficulty: [0, 1] });
      expect(make).toThrow(InvalidOptionsError);
      expect(make).toThrow(/difficulty: has 2 entries but numClasses is 3/);
    });

    it('rejects out-of-range values and unknown fields, naming the field', () => {
      expect(() => createSyntheticDataset({ difficulty: [0, 0, 1.5, 0, 0, 0, 0, 0, 0, 0] })).toThrow(/difficulty\.2:/);
      expect(() => createSyntheticDataset({ noiseScale: -1 })).toThrow(/noiseScale:/);
      expect(() => createSyntheticDataset({ numClasses: 2.5 })).toThrow(/numClasses:/);
      expect(() => createSyntheticDataset({ separationLoss: 2 })).toThrow(/separationLoss:/);
      expect(() => createSyntheticDataset({ imageSize: 16, size: 3 } as never)).toThrow(/unknown field\(s\) 'size'/);
    });
  });

  describe('difficulty', () => {
    /**
     * A nearest-class-mean classifier fitted on the train split, scored on the test split: per
     * class, the clean accuracy and the exact robust accuracy under an L∞ ball of radius
     * `epsilon`. The classifier is linear (score_c(x) = 2·μ_c·x − |μ_c|²), so the worst case of
     * the margin score_y − score_c over the ball is margin − ε·‖2(μ_y − μ_c)‖₁ (no attack needed;
     * ignoring the [0, 1] box only makes the adversary stronger).
     */
    async function nearestMeanAccuracy(dataset: Dataset, epsilon: number) {
      const train = await readSplit(dataset, 'train');
      const test = await readSplit(dataset, 'test');
      const classes = dataset.numClasses;
      const length = train.images.length / train.labels.length;
      const means = Array.from({ length: classes }, () => new Float64Array(length));
      const counts = new Array<number>(classes).fill(0);
      train.labels.forEach((label, sample) => {
        counts[label]!++;
        for (let index = 0; index < length; index++) means[label]![index]! += train.images[sample * length + index]!;
      });
      means.forEach((mean, label) => mean.forEach((value, index) => (mean[index] = value / counts[label]!)));
      const squaredNorms = means.map((mean) => mean.reduce((total, value) => total + value * value, 0));
      const clean = new Array<number>(classes).fill(0);
      const robust = new Array<number>(classes).fill(0);
      const tested = new Array<number>(classes).fill(0);
      test.labels.forEach((label, sample) => {
        const scores = means.map((mean, c) => {
          let dot = 0;
          for (let index = 0; index < length; index++) dot += mean[index]! * test.images[sample * length + index]!;
          return 2 * dot - squaredNorms[c]!;
        });
        let correct = true;
        let robustlyCorrect = true;
        for (let other = 0; other < classes; other++) {
          if (other === label) continue;
          const margin = scores[label]! - scores[other]!;
          let distance = 0;
          for (let index = 0; index < length; index++) distance += 2 * Math.abs(means[label]![index]! - means[other]![index]!);
          if (margin <= 0) correct = false;
          if (margin - epsilon * distance <= 0) robustlyCorrect = false;
        }
        tested[label]!++;
        if (correct) clean[label]!++;
        if (robustlyCorrect) robust[label]!++;
      });
      return { clean: clean.map((value, c) => value / tested[c]!), robust: robust.map((value, c) => value / tested[c]!) };
    }

    const mean = (values: readonly number[]) => values.reduce((total, value) => total + value, 0) / values.length;

    it('makes hard classes clearly less accurate, and far less robustly accurate, for a linear classifier', async () => {
      const difficulty = [0, 0, 0, 1, 1, 1];
      const dataset = createSyntheticDataset({ numClasses: 6, imageSize: 8, difficulty, trainPerClass: 30, validationPerClass: 0, testPerClass: 30 });
      const { clean, robust } = await nearestMeanAccuracy(dataset, 8 / 255);
      const easy = (values: number[]) => mean(values.filter((_, c) => difficulty[c] === 0));
      const hard = (values: number[]) => mean(values.filter((_, c) => difficulty[c] === 1));
      // Easy classes are nearly separable; hard ones collapse toward the mean and are noisier.
      expect(easy(clean)).toBeGreaterThan(0.9);
      expect(easy(clean) - hard(clean)).toBeGreaterThan(0.05);
      // The gap the fairness methods target is in robust accuracy, and it is wide.
      expect(easy(robust) - hard(robust)).toBeGreaterThan(0.3);
      for (let c = 0; c < 6; c++) expect(robust[c]!).toBeLessThanOrEqual(clean[c]!);
    });

    it('gives the same accuracy to every class when all difficulties are equal', async () => {
      const dataset = createSyntheticDataset({ numClasses: 4, imageSize: 8, difficulty: [0, 0, 0, 0], trainPerClass: 20, validationPerClass: 0, testPerClass: 20 });
      const { clean } = await nearestMeanAccuracy(dataset, 0);
      expect(Math.min(...clean)).toBeGreaterThan(0.9);
    });
  });
});
