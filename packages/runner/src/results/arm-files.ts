import path from 'node:path';
import { RunFileError } from '@robustfair/spec';
import { z } from 'zod';
import { experimentSpecSchema } from '../config/experiment-spec.js';
import { pathSegmentSchema } from '../config/path-segment.js';
import type { ArmManifest, ArmResult } from '../run/run-types.js';
import { specHash } from './checkpoint-store.js';
import { parseRunFile, readRunFile } from './read-run-file.js';

// spec.json and result.json are read back from an arm directory, which may have been edited,
// damaged or handed over: both are checked against a schema before anything uses them, and
// every problem names the file and the field (never a bare JSON or property error).

const specHashSchema = z.string().regex(/^[0-9a-f]{16}$/, 'a spec hash: 16 lowercase hex digits');

/** spec.json: what an arm directory records at its start (`ArmManifest`). */
const armManifestSchema = z.object({
  schemaVersion: z.literal(1),
  name: pathSegmentSchema(),
  label: pathSegmentSchema(),
  configFile: z.string().refine((file) => path.isAbsolute(file), 'an absolute path (the config file the run was started with)'),
  out: z.string().min(1),
  specHash: specHashSchema,
  // The spec as written, for its hash; `readArmManifest` parses it like a config.
  spec: z.record(z.string(), z.unknown()),
});

/** The manifest's spec, parsed like a config so a damaged one fails naming the field. */
const manifestSpecSchema = z.object({ spec: experimentSpecSchema });

/** JSON writes NaN (an undefined NSD or an empty class) as null. */
const numberOrNull = z.number().nullable();

const classSummarySchema = z.looseObject({
  count: z.array(z.number()),
  correct: z.array(z.number()),
  classAccuracy: z.array(numberOrNull),
  average: numberOrNull,
  worstClass: z.looseObject({ accuracy: numberOrNull, classIndex: z.number().int() }),
  nsd: numberOrNull,
});

const armEvaluationSchema = z.looseObject({
  split: z.enum(['test', 'validation']),
  epsilon: z.number(),
  clean: classSummarySchema,
  attacks: z.record(z.string(), classSummarySchema),
  flags: z.array(z.looseObject({ id: z.string(), message: z.string() })),
});

/**
 * result.json (`ArmResult`): the fields a rerun reuses (spec for its hash, evaluation for the
 * tables and comparison). Unknown fields are kept, so the comparison gets the file as written.
 */
const armResultSchema = z.looseObject({
  schemaVersion: z.literal(1),
  name: z.string(),
  label: z.string(),
  seed: z.number().int().min(0),
  spec: z.record(z.string(), z.unknown()),
  resolvedOptions: z.record(z.string(), z.unknown()),
  versions: z.record(z.string(), z.string()),
  backend: z.looseObject({ active: z.string() }),
  plugins: z.array(z.looseObject({ plugin: z.string(), file: z.string().optional(), sha256: z.string().optional() })).optional(),
  training: z.looseObject({ epochs: z.unknown(), seconds: z.number() }),
  evaluation: armEvaluationSchema.extend({ seconds: z.number() }),
  teacher: z.looseObject({ key: z.string(), directory: z.string(), evaluation: armEvaluationSchema }).optional(),
});

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

/** Reads an arm's result.json; errors name the file and the field. */
export async function readArmResult(armDirectory: string): Promise<ArmResult> {
  const file = path.join(armDirectory, 'result.json');
  return parseRunFile(file, await readRunFile(file), armResultSchema) as unknown as ArmResult;
}
