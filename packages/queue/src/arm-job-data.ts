import type { BackendChoice } from '@robustfair/core';
import type { ArmJob } from '@robustfair/runner';
import { RobustfairError } from '@robustfair/spec';
import { z } from 'zod';

/** The one BullMQ queue every robustfair sweep's arms go to. */
export const armQueueName = 'robustfair-arms';

/**
 * A job's data: the resolved arm and where it writes, never code. Outside plugins are named by
 * path (in the spec, relative to `configFile`) and must exist on the worker.
 */
export interface ArmJobData {
  readonly schemaVersion: 1;
  readonly name: string;
  /** The config file the sweep was submitted with (absolute): outside plugins resolve from it. */
  readonly configFile: string;
  /** The shared results root (absolute), the same path on every worker. */
  readonly out: string;
  /** The backend the submitter asked for (`--backend`, else the spec's); each worker selects it. */
  readonly backend: BackendChoice;
  readonly job: ArmJob;
}

const armJobDataSchema = z.object({
  schemaVersion: z.literal(1),
  name: z.string(),
  configFile: z.string(),
  out: z.string(),
  backend: z.string(),
  job: z.object({
    arm: z.object({ label: z.string(), spec: z.object({ plugins: z.array(z.string()) }).loose() }),
    armDirectory: z.string(),
    flags: z.object({ saveWeights: z.boolean(), resume: z.boolean() }).loose(),
  }),
});

/** A job's data checked for the fields a worker reads (a job from another version fails clearly). */
export function readArmJobData(id: string | undefined, data: unknown): ArmJobData {
  const parsed = armJobDataSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RobustfairError(`queue job ${id ?? '?'}: its data is not a robustfair arm (field '${issue?.path.join('.') ?? ''}': ${issue?.message ?? 'invalid'}); it was submitted by another version or another program`);
  }
  return data as ArmJobData;
}
