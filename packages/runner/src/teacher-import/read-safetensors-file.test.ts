import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSafetensorsFile } from './read-safetensors-file.js';

// Issue 13 item 9: a huge safetensors file is judged by its header before its data is read.

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'robustfair-safetensors-file-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** 8-byte length + header JSON, then `size` bytes in all (sparse: nothing is written past the header). */
async function writeSparse(name: string, header: object, size: number): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  const file = path.join(directory, name);
  await writeFile(file, bytes);
  await truncate(file, size);
  return file;
}

describe(readSafetensorsFile, () => {
  it('refuses a 1.9 GB file whose header does not cover its data without reading the data', async () => {
    const file = await writeSparse('huge.safetensors', { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, 1_900_000_000);
    const before = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    await expect(readSafetensorsFile(file)).rejects.toThrow(new RegExp(`^${file.replaceAll(/[.\\/]/g, (character) => `\\${character}`)}: invalid safetensors file: the tensors end at byte 8 of the data, but the file holds \\d+ data bytes`));
    // Reading 1.9 GB would take seconds and show up in arrayBuffers; the header is a few bytes.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('reads a valid file whole, and names a missing one', async () => {
    const header = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
    const size = 8 + JSON.stringify(header).length;
    const file = await writeSparse('ok.safetensors', header, size + 8);
    expect((await readSafetensorsFile(file)).byteLength).toBe(size + 8);
    await expect(readSafetensorsFile(path.join(directory, 'missing.safetensors'))).rejects.toThrow(`${path.join(directory, 'missing.safetensors')}: is missing (teacher.import.file)`);
  });
});
