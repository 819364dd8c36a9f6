import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RunFileError, type Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { parseRunFile, readRunFile } from './read-run-file.js';
import { writeFileAtomic, writeJsonAtomic } from './write-json-atomic.js';

/** At most 2^31 − 1 float32 values per tensor and in the file: beyond a typed array's reach in every engine. */
const maximumValues = 2 ** 31 - 1;

const manifestSchema = z.strictObject({
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
type WeightsManifest = z.infer<typeof manifestSchema>;

/**
 * Saves every named variable (trainable and batch-norm statistics) as one float32 file plus a
 * JSON manifest, each written atomically. The full checkpoint (optimizer, strategy, RNG) is
 * the checkpoints issue's; this is what `robustfair eval` needs.
 */
export async function saveModelWeights(model: Model, directory: string): Promise<void> {
  const named = model.namedVariables();
  const arrays = await Promise.all(named.map(({ variable }) => variable.data<'float32'>()));
  const total = arrays.reduce((sum, array) => sum + array.length, 0);
  const buffer = new Float32Array(total);
  const weights: WeightsManifest['weights'][number][] = [];
  let offset = 0;
  named.forEach(({ name, variable }, index) => {
    const array = arrays[index] as Float32Array;
    buffer.set(array, offset);
    weights.push({ name, shape: variable.shape, offset, length: array.length });
    offset += array.length;
  });
  await writeFileAtomic(path.join(directory, 'weights.bin'), new Uint8Array(buffer.buffer));
  await writeJsonAtomic(path.join(directory, 'weights.json'), { format: 'robustfair-weights-v1', weights } satisfies WeightsManifest);
}

/**
 * Loads weights saved by `saveModelWeights` into a model of the same architecture. Both files
 * are untrusted (a weights directory can be edited, truncated or handed over): the manifest is
 * checked against its schema, every entry's length against its shape, the entries must lie
 * back to back and cover weights.bin exactly, and every value must be finite. Any mismatch is a
 * RunFileError naming the file and field; nothing is assigned until everything has been checked.
 */
export async function loadModelWeights(model: Model, directory: string): Promise<void> {
  const manifestFile = path.join(directory, 'weights.json');
  const binaryFile = path.join(directory, 'weights.bin');
  const manifest = parseRunFile(manifestFile, await readRunFile(manifestFile), manifestSchema);
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
  const values = await readFloat32File(binaryFile, next);
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

/** Reads `expected` float32 values; a file of any other size is an error naming it (truncated or padded). */
async function readFloat32File(file: string, expected: number): Promise<Float32Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RunFileError(file, code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? (error as Error).message})`, { cause: error });
  }
  if (bytes.byteLength !== expected * 4) {
    throw new RunFileError(file, `has ${bytes.byteLength} bytes, expected ${expected * 4} (${expected} float32 values, the sum of weights.json's lengths): the file is truncated or does not belong to weights.json`);
  }
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
