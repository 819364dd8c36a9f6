import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { assignWeightsFiles, type WeightsManifest } from '@robustfair/core';
import { RunFileError, type Model } from '@robustfair/spec';
import { readRunFile } from './read-run-file.js';
import { writeFileAtomic, writeJsonAtomic } from './write-json-atomic.js';

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
  const manifestText = await readRunFile(manifestFile);
  assignWeightsFiles(model, { manifestFile, manifestText, binaryFile, binary: await readBinaryFile(binaryFile) });
}

/** Reads weights.bin; a missing or unreadable file is a RunFileError naming it. */
async function readBinaryFile(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RunFileError(file, code === 'ENOENT' ? 'is missing' : `cannot be read (${code ?? (error as Error).message})`, { cause: error });
  }
}
