import path from 'node:path';
import { hasResult, readArmResult, specHash, type ArmResult, type ProgressEvent } from '@robustfair/runner';
import type { Queue } from 'bullmq';
import type { SweepManifest } from './sweep-manifest.js';

/** Where one arm of a queued sweep stands. */
export interface ArmState {
  readonly label: string;
  readonly jobId: string;
  /**
   * `finished`: its result.json (of this spec) is written. `failed`: out of attempts. `missing`:
   * no such job in the queue and no result (the queue was emptied, or Redis lost it). Else the
   * job's BullMQ state (`waiting`, `active`, `delayed`, `prioritized`, ...).
   */
  readonly state: string;
  /** The last progress event a worker reported for it. */
  readonly progress?: ProgressEvent;
  /** Why it failed (the error the worker's last attempt ended with), and attempts made. */
  readonly error?: string;
  readonly attempts?: number;
}

/** States in which an arm will not change without someone acting. */
export const endedStates: ReadonlySet<string> = new Set(['finished', 'failed', 'missing']);

/** The arm's result when its directory holds one of this spec; undefined otherwise. */
export async function finishedResult(armDirectory: string, hash: string): Promise<ArmResult | undefined> {
  if (!(await hasResult(armDirectory))) return undefined;
  const result = await readArmResult(armDirectory);
  return specHash(result.spec) === hash ? result : undefined;
}

/** Each arm's state, in the sweep's order: its result on the shared disk first, else its job. */
export async function readArmStates(queue: Queue, manifest: SweepManifest): Promise<ArmState[]> {
  const states: ArmState[] = [];
  for (const arm of manifest.arms) {
    const base = { label: arm.label, jobId: arm.jobId };
    if (await finishedResult(arm.armDirectory, arm.specHash)) {
      states.push({ ...base, state: 'finished' });
      continue;
    }
    const job = await queue.getJob(arm.jobId);
    if (!job) {
      states.push({ ...base, state: 'missing' });
      continue;
    }
    const state = await job.getState();
    const progress = isProgressEvent(job.progress) ? { progress: job.progress } : {};
    if (state === 'failed') {
      states.push({ ...base, state, ...progress, error: job.failedReason, attempts: job.attemptsMade });
    } else if (state === 'completed') {
      // A worker finished it, yet its result is not where this machine looks: not a shared disk.
      const error = `the job completed on a worker, but ${path.join(arm.armDirectory, 'result.json')} is not there on this machine: is --out the same shared directory (e.g. NFS) on every worker and here?`;
      states.push({ ...base, state: 'failed', error, attempts: job.attemptsMade });
    } else {
      states.push({ ...base, state, ...progress });
    }
  }
  return states;
}

/** Whether a job's progress is one of the runner's progress events (what our workers report). */
export function isProgressEvent(value: unknown): value is ProgressEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Partial<ProgressEvent>;
  return typeof event.scope === 'string' && typeof event.arm === 'string' && typeof event.current === 'number' && typeof event.total === 'number';
}
