import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './write-json-atomic.js';

/**
 * Brings `epochs.jsonl` back in line with the checkpoint a run resumes from: a kill can leave
 * lines for epochs after the checkpoint (they are trained again) and a half-written last line.
 * Keeps the last complete line of every epoch before `completedEpochs` (epochs count from 0), in
 * epoch order, and rewrites the file atomically. A missing file stays missing.
 */
export async function trimEpochLog(file: string, completedEpochs: number): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return;
  }
  const byEpoch = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      continue; // the line a kill cut short
    }
    const epoch = (record as { epoch?: unknown }).epoch;
    if (typeof epoch === 'number' && Number.isInteger(epoch) && epoch >= 0 && epoch < completedEpochs) byEpoch.set(epoch, line);
  }
  const kept = [...byEpoch].sort((a, b) => a[0] - b[0]).map(([, line]) => `${line}\n`);
  await writeFileAtomic(file, kept.join(''));
}
