import path from 'node:path';
import {
  armManifestFileSchema,
  armResultFileSchema,
  comparisonFileSchema,
  epochLogLineSchema,
  RunFileError,
  type ResultFileInput,
} from '@robustfair/spec';
import { z } from 'zod';
import { experimentSpecSchema } from '../config/experiment-spec.js';
import { pathSegmentSchema } from '../config/path-segment.js';
import type { ArmManifest, ArmResult } from '../run/run-types.js';
import { specHash } from './checkpoint-store.js';
import { parseRunFile, readRunFile, validateRunFile } from './read-run-file.js';
import { writeJsonAtomic } from './write-json-atomic.js';

// spec.json and result.json are read back from an arm directory, which may have been edited,
// damaged or handed over: both are checked against the results format's schemas
// (@robustfair/spec, the ones the report reads with) before anything uses them, and every
// problem names the file and the field (never a bare JSON or property error). The writers below
// take what those schemas accept, so what is written is what is read.

/** spec.json as the runner reads it: the format's, with names that are safe directory names. */
const armManifestSchema = armManifestFileSchema.extend({
  name: pathSegmentSchema(),
  label: pathSegmentSchema(),
  configFile: z.string().refine((file) => path.isAbsolute(file), 'an absolute path (the config file the run was started with)'),
});

/** The manifest's spec, parsed like a config so a damaged one fails naming the field. */
const manifestSpecSchema = z.object({ spec: experimentSpecSchema });

/** Writes an arm's spec.json (what `train --resume DIR` reads back with {@link readArmManifest}). */
export async function writeArmManifest(armDirectory: string, manifest: ResultFileInput<typeof armManifestFileSchema>): Promise<void> {
  await writeJsonAtomic(path.join(armDirectory, 'spec.json'), manifest);
}

/** Writes an arm's result.json (read back by {@link readArmResult} and by the report). */
export async function writeArmResult(armDirectory: string, result: ResultFileInput<typeof armResultFileSchema>): Promise<void> {
  await writeJsonAtomic(path.join(armDirectory, 'result.json'), result);
}

/** Writes a comparison's comparison.json. */
export async function writeComparison(directory: string, comparison: ResultFileInput<typeof comparisonFileSchema>): Promise<void> {
  await writeJsonAtomic(path.join(directory, 'comparison.json'), comparison);
}

/** One line of epochs.jsonl (with its line break), as the report reads it back. */
export function epochLogLine(line: ResultFileInput<typeof epochLogLineSchema>): string {
  return `${JSON.stringify(line)}\n`;
}

/**
 * Reads the manifest an arm directory was started with (spec.json), for `train --resume DIR` and
 * `eval --checkpoint DIR`. Its spec must still hash to the recorded `specHash`: an edited spec
 * is refused rather than resumed under the old checkpoints.
 */
export async function readArmManifest(armDirectory: string): Promise<ArmManifest> {
  const file = path.join(armDirectory, 'spec.json');
  const text = await readRunFile(file);
  const manifest = parseRunFile(file, text, armManifestSchema);
  const recorded = specHash(manifest.spec);
  if (recorded !== manifest.specHash) {
    throw new RunFileError(file, `field 'specHash' is '${manifest.specHash}', but field 'spec' hashes to '${recorded}' (the spec was edited or damaged)`);
  }
  const { spec } = parseRunFile(file, text, manifestSpecSchema);
  // Checkpoints carry the hash of the spec as the run had it: a spec that today's schema fills
  // in differently (written by another version) would not resume them, so say so here.
  if (specHash(spec) !== recorded) {
    // Written by an older version: accepted when today's defaults only add fields (every value it
    // recorded is unchanged), since the run it describes is then the run today's version resumes.
    const changed = changedField(manifest.spec, spec);
    if (changed !== undefined) {
      throw new RunFileError(
        file,
        `field 'spec.${changed}' was written by another version of robustfair and today's defaults change it; rerun from the config, or resume with the version that started it`,
      );
    }
    return { ...manifest, spec, specHash: specHash(spec), previousSpecHash: recorded };
  }
  return { ...manifest, spec };
}

/**
 * The first dotted path whose recorded value differs in `today` (undefined when `today` only adds
 * fields to `recorded`, in objects; arrays and scalars must be equal).
 */
export function changedField(recorded: unknown, today: unknown, at = ''): string | undefined {
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(recorded) && isObject(today)) {
    for (const [key, value] of Object.entries(recorded)) {
      const found = changedField(value, today[key], at === '' ? key : `${at}.${key}`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return JSON.stringify(recorded) === JSON.stringify(today) ? undefined : at || '(root)';
}

/**
 * Reads an arm's result.json; errors name the file and the field. The file is returned as written
 * (fields of newer versions kept, NaN still null), so a comparison that reuses the arm gets it
 * unchanged; its spec is the one the run recorded, typed as the runner's.
 */
export async function readArmResult(armDirectory: string): Promise<ArmResult> {
  const file = path.join(armDirectory, 'result.json');
  return validateRunFile(file, await readRunFile(file), armResultFileSchema) as unknown as ArmResult;
}
