import { RunFileError, type Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { parseRunFile } from './parse-run-file.js';

// The weights format (weights.json + weights.bin) on bytes already read: the runner's
// saveModelWeights/loadModelWeights read and write the files, the browser playground loads the
// files a user picked; both check and assign here.

/** At most 2^31 − 1 float32 values per tensor and in the file: beyond a typed array's reach in every engine. */
const maximumValues = 2 ** 31 - 1;

/** weights.json: each named variable's shape and place in weights.bin (float32, back to back). */
export const weightsManifestSchema = z.strictObject({
  format: z.literal('robustfair-weights-v1'),
  weights: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(1000),
        shape: z.array(z.number().int().min(0).max(maximumValues)).max(8),
        offset: z.number().int().min(0).max(maximumValues),
        length: z.number().int().min(0).max(maximumValues),
      }),
    )
    .max(100_000),
});

/** What weights.json holds. */
export type WeightsManifest = z.infer<typeof weightsManifestSchema>;

/** The two files of a saved model, already read; the names are only for messages. */
export interface WeightsFiles {
  readonly manifestFile: string;
  readonly manifestText: string;
  readonly binaryFile: string;
  readonly binary: Uint8Array;
}

/**
 * Loads weights saved as weights.json + weights.bin into a model of the same architecture. Both
 * files are untrusted (a weights directory can be edited, truncated or handed over): the
 * manifest is checked against its schema, every entry's length against its shape, the entries
 * must lie back to back and cover weights.bin exactly, and every value must be finite. Any
 * mismatch is a RunFileError naming the file and field; nothing is assigned until everything
 * has been checked.
 */
export function assignWeightsFiles(model: Model, files: WeightsFiles): void {
  const { manifestFile, binaryFile, binary } = files;
  const manifest = parseRunFile(manifestFile, files.manifestText, weightsManifestSchema);
  let next = 0;
  manifest.weights.forEach((entry, index) => {
    const field = `weights[${index}]`;
    const elements = entry.shape.reduce((product, side) => product * side, 1);
    if (entry.length !== elements) {
      throw new RunFileError(manifestFile, `field '${field}.length' is ${entry.length}, expected ${elements} (the product of its shape [${entry.shape.join(', ')}])`);
    }
    if (entry.offset !== next) throw new RunFileError(manifestFile, `field '${field}.offset' is ${entry.offset}, expected ${next} (weights are stored back to back)`);
    next += entry.length;
  });
  if (next > maximumValues) throw new RunFileError(manifestFile, `describes ${next} values, more than the ${maximumValues} a weights file may hold`);
  if (binary.byteLength !== next * 4) {
    throw new RunFileError(
      binaryFile,
      `has ${binary.byteLength} bytes, expected ${next * 4} (${next} float32 values, the sum of weights.json's lengths): the file is truncated or does not belong to weights.json`,
    );
  }
  // A copy: the bytes may sit at an offset that is not a multiple of 4 inside a larger buffer.
  const values = new Float32Array(binary.buffer.slice(binary.byteOffset, binary.byteOffset + binary.byteLength));
  const byName = new Map(manifest.weights.map((entry) => [entry.name, entry]));
  const plan: { readonly variable: tf.Variable; readonly values: Float32Array }[] = [];
  for (const { name, variable } of model.namedVariables()) {
    const entry = byName.get(name);
    if (!entry) throw new RunFileError(manifestFile, `has no weight '${name}' (the model needs it)`);
    if (entry.shape.join('x') !== variable.shape.join('x')) {
      throw new RunFileError(manifestFile, `weight '${name}' has shape [${entry.shape.join(', ')}], the model needs [${variable.shape.join(', ')}]`);
    }
    const slice = values.subarray(entry.offset, entry.offset + entry.length);
    if (!slice.every(Number.isFinite)) throw new RunFileError(binaryFile, `weight '${name}' holds a value that is not finite (NaN or infinity): refusing to load it`);
    plan.push({ variable, values: slice });
  }
  for (const { variable, values: slice } of plan) tf.tidy(() => variable.assign(tf.tensor(slice, variable.shape as number[])));
}
