import { createHash } from 'node:crypto';
import path from 'node:path';
import { specHash, type ArmJob } from '@robustfair/runner';

/**
 * The queue job id of an arm: a hash of the arm's resolved spec (seed included: `specHash`) and
 * of the directory its results go to. Submitting the same sweep again names the same jobs, so
 * BullMQ adds none twice; a changed spec, seed or `--out` is a new job. Hex with a prefix:
 * BullMQ refuses ids that are whole numbers or hold ':'.
 */
export function armJobId(job: Pick<ArmJob, 'arm' | 'armDirectory'>): string {
  const digest = createHash('sha256').update(JSON.stringify([path.resolve(job.armDirectory), specHash(job.arm.spec)])).digest('hex');
  return `arm-${digest.slice(0, 40)}`;
}
