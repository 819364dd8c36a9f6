import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeJsonAtomic } from '@robustfair/runner';
import { RobustfairError } from '@robustfair/spec';
import { z } from 'zod';

/** The file a queued sweep leaves in its directory, so `status` knows its arms and jobs. */
export const sweepManifestFileName = 'queue.json';

const sweepManifestSchema = z.object({
  schemaVersion: z.literal(1),
  name: z.string(),
  directory: z.string(),
  field: z.string().nullable(),
  printTable: z.boolean(),
  arms: z.array(z.object({ label: z.string(), jobId: z.string(), armDirectory: z.string(), specHash: z.string() })),
  teachers: z.array(z.object({ key: z.string(), directory: z.string() })),
});

/**
 * A queued sweep, as `status` reads it back: its arms in config order with their job ids, and
 * its teachers (trained by the submitter). It holds no queue URL (nor any password).
 */
export type SweepManifest = z.infer<typeof sweepManifestSchema>;

export async function writeSweepManifest(manifest: SweepManifest): Promise<void> {
  await writeJsonAtomic(path.join(manifest.directory, sweepManifestFileName), manifest);
}

/** Reads `<directory>/queue.json`, naming the file and the field when it is not one. */
export async function readSweepManifest(directory: string): Promise<SweepManifest> {
  const file = path.join(directory, sweepManifestFileName);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RobustfairError(`${file} does not exist: ${directory} holds no sweep submitted with --queue (give the sweep's directory, <out>/<name>)`);
    throw new RobustfairError(`${file}: cannot be read (${code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RobustfairError(`${file}: not JSON (expected the sweep record robustfair writes when it submits a sweep)`);
  }
  const parsed = sweepManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RobustfairError(`${file}: field '${issue?.path.join('.') ?? ''}': ${issue?.message ?? 'invalid'} (expected the sweep record robustfair writes when it submits a sweep)`);
  }
  return parsed.data;
}
