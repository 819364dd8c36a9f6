import type { ModelFiles, PickedFile } from '../evaluation/protocol.js';

/** Reads a picked file into memory; the name is what messages call it. */
export async function readPicked(file: File): Promise<PickedFile> {
  return { name: file.name, bytes: await file.arrayBuffer() };
}

/**
 * Sorts the files picked for the model by name: spec.json, weights.json + weights.bin, or one
 * `.safetensors` file. Returns the files, or a sentence saying what is missing or extra.
 */
export async function modelFilesOf(files: readonly File[], architecture: string): Promise<ModelFiles | string> {
  const byName = (name: string) => files.find((file) => file.name === name);
  const spec = byName('spec.json');
  const manifest = byName('weights.json');
  const binary = byName('weights.bin');
  const safetensors = files.filter((file) => file.name.endsWith('.safetensors'));
  const known = new Set([spec, manifest, binary, ...safetensors]);
  const unknown = files.filter((file) => !known.has(file)).map((file) => file.name);
  if (unknown.length > 0) return `not a file of a run: ${unknown.join(', ')} (expected spec.json, weights.json, weights.bin or one .safetensors file)`;
  if (!spec) return 'spec.json is missing: pick it with the weights (it is in the run’s arm directory)';
  if (safetensors.length > 1) return `pick one .safetensors file, not ${safetensors.length}`;
  const checkpoint = safetensors[0];
  if (checkpoint && (manifest || binary)) return 'pick either weights.json + weights.bin or a .safetensors file, not both';
  if (checkpoint) return { spec: await readPicked(spec), safetensors: { file: await readPicked(checkpoint), ...(architecture ? { architecture } : {}) } };
  if (!manifest || !binary) return `${manifest ? 'weights.bin' : 'weights.json'} is missing: pick weights.json and weights.bin together`;
  return { spec: await readPicked(spec), weights: { manifest: await readPicked(manifest), binary: await readPicked(binary) } };
}
