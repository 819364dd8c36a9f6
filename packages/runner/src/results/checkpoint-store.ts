import { createHash } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FitCheckpoint } from '@robustfair/core';
import { RunFileError, type JsonValue } from '@robustfair/spec';
import { z } from 'zod';
import { parseRunFile, readRunFile } from './read-run-file.js';
import { writeFileAtomic, writeJsonAtomic } from './write-json-atomic.js';

/** The only folder names the store writes, and so the only ones it ever reads or deletes. */
const checkpointFolder = /^checkpoint-(0|[1-9]\d{0,8})$/;

const pointerSchema = z.strictObject({
  format: z.literal('robustfair-checkpoint-v1'),
  completedEpochs: z.number().int().min(0),
  directory: z.string().regex(checkpointFolder, 'a folder name of the form checkpoint-<epochs>'),
  specHash: z.string().min(1).max(128),
});
type CheckpointPointer = z.infer<typeof pointerSchema>;

const slotSchema = z.strictObject({ offset: z.number().int().min(0), length: z.number().int().min(0) });
type Slot = z.infer<typeof slotSchema>;

const stateSchema = z.strictObject({
  completedEpochs: z.number().int().min(0),
  strategyState: z.json(),
  // seconds: a resumed run's training time adds the earlier epochs' own (experiment-runner.ts)
  records: z.array(z.looseObject({ epoch: z.number().int().min(0), seconds: z.number().min(0) })),
  callbackStates: z.record(z.string(), z.json()),
  weights: z.array(slotSchema),
  momentum: z.array(slotSchema.nullable()),
});

/** A stable fingerprint of an arm's spec: a checkpoint only resumes the spec that wrote it. */
export function specHash(spec: unknown): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
}

/** What the run expects of a checkpoint beyond its own consistency. */
export interface CheckpointExpectations {
  /** The spec's number of epochs: a checkpoint claiming more completed epochs is refused. */
  readonly epochs?: number;
  /** Other spec hashes whose checkpoints this arm may resume (the same spec written by an older version). */
  readonly acceptedHashes?: readonly string[];
}

/**
 * Checkpoints of one arm in its directory. Each is written to its own `checkpoint-<epoch>/`
 * (tensors.bin + state.json, each atomically), then `checkpoint.json` is atomically pointed at
 * it and the previous one is deleted: a kill at any moment leaves a complete checkpoint.
 *
 * Everything read back is untrusted input (a run directory can be edited, damaged or handed
 * over): the pointer, the state and the tensor file are checked against their schemas and
 * against each other before anything is restored, and the store only ever deletes a folder
 * named like the ones it writes, directly inside this arm's directory.
 */
export function createCheckpointStore(directory: string, hash: string, expectations: CheckpointExpectations = {}) {
  const pointerFile = path.join(directory, 'checkpoint.json');

  /** The pointer, undefined when there is none; a RunFileError when it is damaged. */
  async function readPointer(): Promise<CheckpointPointer | undefined> {
    const text = await readRunFile(pointerFile, { optional: true });
    if (text === undefined) return undefined;
    const pointer = parseRunFile(pointerFile, text, pointerSchema);
    if (pointer.directory !== `checkpoint-${pointer.completedEpochs}`) {
      throw new RunFileError(pointerFile, `field 'directory' is '${pointer.directory}', expected 'checkpoint-${pointer.completedEpochs}' (its completedEpochs)`);
    }
    return pointer;
  }

  /** The previous pointer when it can be trusted enough to delete its folder; a damaged one is left alone. */
  async function previousFolder(): Promise<string | undefined> {
    try {
      return (await readPointer())?.directory;
    } catch {
      return undefined;
    }
  }

  return {
    async save(checkpoint: FitCheckpoint): Promise<void> {
      const previous = await previousFolder();
      const name = `checkpoint-${checkpoint.completedEpochs}`;
      const folder = path.join(directory, name);
      const arrays = [...checkpoint.weights, ...checkpoint.momentum.filter((value): value is Float32Array => value !== null)];
      const total = arrays.reduce((sum, array) => sum + array.length, 0);
      const buffer = new Float32Array(total);
      let offset = 0;
      const place = (array: Float32Array): Slot => {
        buffer.set(array, offset);
        const slot = { offset, length: array.length };
        offset += array.length;
        return slot;
      };
      const weights = checkpoint.weights.map(place);
      const momentum = checkpoint.momentum.map((value) => (value ? place(value) : null));
      await writeFileAtomic(path.join(folder, 'tensors.bin'), new Uint8Array(buffer.buffer));
      await writeJsonAtomic(path.join(folder, 'state.json'), {
        completedEpochs: checkpoint.completedEpochs,
        strategyState: checkpoint.strategyState,
        records: checkpoint.records,
        callbackStates: checkpoint.callbackStates,
        weights,
        momentum,
      });
      await writeJsonAtomic(pointerFile, {
        format: 'robustfair-checkpoint-v1',
        completedEpochs: checkpoint.completedEpochs,
        directory: name,
        specHash: hash,
      } satisfies CheckpointPointer);
      // `previous` matched checkpointFolder: a single path segment the store itself names.
      if (previous !== undefined && previous !== name) await rm(path.join(directory, previous), { recursive: true, force: true });
    },

    /**
     * The latest checkpoint, or undefined when there is none. A RunFileError naming the file and
     * field when any part is damaged, belongs to another spec, or does not fit the expectations.
     */
    async load(): Promise<FitCheckpoint | undefined> {
      const pointer = await readPointer();
      if (!pointer) return undefined;
      if (pointer.specHash !== hash && !(expectations.acceptedHashes ?? []).includes(pointer.specHash)) {
        throw new RunFileError(pointerFile, `the checkpoint was written by a different spec (hash ${pointer.specHash}, this config ${hash}); use another --out or remove it`);
      }
      if (expectations.epochs !== undefined && pointer.completedEpochs > expectations.epochs) {
        throw new RunFileError(pointerFile, `field 'completedEpochs' is ${pointer.completedEpochs}, expected at most the spec's ${expectations.epochs} epochs`);
      }
      const folder = path.join(directory, pointer.directory);
      const stateFile = path.join(folder, 'state.json');
      const state = parseRunFile(stateFile, await readRunFile(stateFile), stateSchema);
      if (state.completedEpochs !== pointer.completedEpochs) {
        throw new RunFileError(stateFile, `field 'completedEpochs' is ${state.completedEpochs}, expected ${pointer.completedEpochs} (checkpoint.json)`);
      }
      if (state.records.length !== state.completedEpochs) {
        throw new RunFileError(stateFile, `field 'records' has ${state.records.length} entries, expected one per completed epoch (${state.completedEpochs})`);
      }
      state.records.forEach((record, index) => {
        if (record.epoch !== index) throw new RunFileError(stateFile, `field 'records[${index}].epoch' is ${record.epoch}, expected ${index}`);
      });
      const tensorsFile = path.join(folder, 'tensors.bin');
      const values = await readFloat32File(tensorsFile);
      const take = slotReader(stateFile, tensorsFile, values);
      const weights = state.weights.map((slot, index) => take(slot, `weights[${index}]`));
      const momentum = state.momentum.map((slot, index) => (slot ? take(slot, `momentum[${index}]`) : null));
      take.finish();
      weights.forEach((array, index) => {
        if (!array.every(Number.isFinite)) throw new RunFileError(tensorsFile, `weights[${index}] holds a value that is not finite (NaN or infinity): the checkpoint cannot be resumed`);
      });
      return {
        completedEpochs: state.completedEpochs,
        strategyState: state.strategyState as JsonValue,
        records: state.records as unknown as FitCheckpoint['records'],
        callbackStates: state.callbackStates as Record<string, JsonValue>,
        weights,
        momentum,
      };
    },
  };
}

async function readFloat32File(file: string): Promise<Float32Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new RunFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); the checkpoint is incomplete`, { cause: error });
  }
  if (bytes.byteLength % 4 !== 0) throw new RunFileError(file, `has ${bytes.byteLength} bytes, expected a whole number of float32 values (a multiple of 4): the file is truncated`);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/**
 * Reads slots in the order the store wrote them: back to back from offset 0, covering the whole
 * tensor file. An edited or shifted offset, or a file of the wrong length, is an error, not
 * silently different weights.
 */
function slotReader(stateFile: string, tensorsFile: string, values: Float32Array) {
  let next = 0;
  const take = (slot: Slot, field: string): Float32Array => {
    if (slot.offset !== next) throw new RunFileError(stateFile, `field '${field}.offset' is ${slot.offset}, expected ${next} (slots are stored back to back)`);
    if (slot.offset + slot.length > values.length) {
      throw new RunFileError(tensorsFile, `holds ${values.length} values, but '${field}' of state.json needs ${slot.offset + slot.length}: the file is truncated`);
    }
    next += slot.length;
    return values.slice(slot.offset, slot.offset + slot.length);
  };
  take.finish = () => {
    if (next !== values.length) throw new RunFileError(tensorsFile, `holds ${values.length} values, expected ${next} (the sum of state.json's slots)`);
  };
  return take;
}

/** True when a finished arm's result is on disk. */
export async function hasResult(directory: string): Promise<boolean> {
  try {
    return (await stat(path.join(directory, 'result.json'))).isFile();
  } catch {
    return false;
  }
}
