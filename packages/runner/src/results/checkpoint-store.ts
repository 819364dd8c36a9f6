import { createHash } from 'node:crypto';
import { readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FitCheckpoint } from '@robustfair/core';
import { DatasetError, type JsonValue } from '@robustfair/spec';
import { writeFileAtomic, writeJsonAtomic } from './write-json-atomic.js';

interface Slot {
  readonly offset: number;
  readonly length: number;
}

interface CheckpointPointer {
  readonly format: 'robustfair-checkpoint-v1';
  readonly completedEpochs: number;
  readonly directory: string;
  readonly specHash: string;
}

/** A stable fingerprint of an arm's spec: a checkpoint only resumes the spec that wrote it. */
export function specHash(spec: unknown): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
}

/**
 * Checkpoints of one arm in its directory. Each is written to its own `checkpoint-<epoch>/`
 * (tensors.bin + state.json, each atomically), then `checkpoint.json` is atomically pointed at
 * it and the previous one is deleted: a kill at any moment leaves a complete checkpoint.
 */
export function createCheckpointStore(directory: string, hash: string) {
  const pointerFile = path.join(directory, 'checkpoint.json');

  async function readPointer(): Promise<CheckpointPointer | undefined> {
    try {
      return JSON.parse(await readFile(pointerFile, 'utf8')) as CheckpointPointer;
    } catch {
      return undefined;
    }
  }

  return {
    async save(checkpoint: FitCheckpoint): Promise<void> {
      const previous = await readPointer();
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
      if (previous && previous.directory !== name) await rm(path.join(directory, previous.directory), { recursive: true, force: true });
    },

    /** The latest checkpoint, or undefined when there is none; an error when it belongs to another spec. */
    async load(): Promise<FitCheckpoint | undefined> {
      const pointer = await readPointer();
      if (!pointer) return undefined;
      if (pointer.specHash !== hash) {
        throw new DatasetError(`${pointerFile}: the checkpoint was written by a different spec (hash ${pointer.specHash}, this config ${hash}); use another --out or remove it`);
      }
      const folder = path.join(directory, pointer.directory);
      const state = JSON.parse(await readFile(path.join(folder, 'state.json'), 'utf8')) as {
        completedEpochs: number;
        strategyState: JsonValue;
        records: FitCheckpoint['records'];
        callbackStates: Record<string, JsonValue>;
        weights: Slot[];
        momentum: (Slot | null)[];
      };
      const bytes = await readFile(path.join(folder, 'tensors.bin'));
      const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      const take = (slot: Slot) => values.slice(slot.offset, slot.offset + slot.length);
      return {
        completedEpochs: state.completedEpochs,
        strategyState: state.strategyState,
        records: state.records,
        callbackStates: state.callbackStates,
        weights: state.weights.map(take),
        momentum: state.momentum.map((slot) => (slot ? take(slot) : null)),
      };
    },
  };
}

/** True when a finished arm's result is on disk. */
export async function hasResult(directory: string): Promise<boolean> {
  try {
    return (await stat(path.join(directory, 'result.json'))).isFile();
  } catch {
    return false;
  }
}
