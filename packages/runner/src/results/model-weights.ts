import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DatasetError, type Model } from '@robustfair/spec';
import * as tf from '@tensorflow/tfjs-core';
import { writeFileAtomic, writeJsonAtomic } from './write-json-atomic.js';

interface WeightsManifest {
  readonly format: 'robustfair-weights-v1';
  readonly weights: readonly { readonly name: string; readonly shape: readonly number[]; readonly offset: number; readonly length: number }[];
}

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

/** Loads weights saved by `saveModelWeights` into a model of the same architecture. */
export async function loadModelWeights(model: Model, directory: string): Promise<void> {
  const manifestFile = path.join(directory, 'weights.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as WeightsManifest;
  if (manifest.format !== 'robustfair-weights-v1') throw new DatasetError(`${manifestFile}: unknown weights format '${String(manifest.format)}'`);
  const bytes = await readFile(path.join(directory, 'weights.bin'));
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const byName = new Map(manifest.weights.map((entry) => [entry.name, entry]));
  for (const { name, variable } of model.namedVariables()) {
    const entry = byName.get(name);
    if (!entry) throw new DatasetError(`${manifestFile}: no weight '${name}' (the model needs it)`);
    if (entry.shape.join('x') !== variable.shape.join('x')) {
      throw new DatasetError(`${manifestFile}: weight '${name}' has shape [${entry.shape.join(', ')}], the model needs [${variable.shape.join(', ')}]`);
    }
    tf.tidy(() => variable.assign(tf.tensor(values.subarray(entry.offset, entry.offset + entry.length), variable.shape as number[])));
  }
}
