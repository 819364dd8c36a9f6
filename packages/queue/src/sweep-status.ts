import path from 'node:path';
import type { ComparisonResult } from '@robustfair/runner';
import { Queue } from 'bullmq';
import { armQueueName } from './arm-job-data.js';
import { endedStates, readArmStates, type ArmState } from './arm-states.js';
import { describeArmState, finishSweep, type SweepOutput } from './follow-sweep.js';
import { reachQueue } from './reach-queue.js';
import { parseRedisUrl, redactRedisUrl } from './redis-url.js';
import { readSweepManifest } from './sweep-manifest.js';

/** What `sweepStatus` found. */
export interface SweepStatus {
  readonly arms: readonly ArmState[];
  /** Written (again) when every arm had finished. */
  readonly comparison?: ComparisonResult;
}

/** One line per arm: its state, and the last progress a worker reported. */
export function statusLine(arm: ArmState): string {
  const progress = arm.progress && arm.state === 'active' ? ` (${arm.progress.scope} ${arm.progress.current}/${arm.progress.total})` : '';
  return `${describeArmState(arm)}${progress}`;
}

/**
 * `robustfair status`: each arm of the sweep in `directory` (`<out>/<name>`, where the submitter
 * wrote queue.json) with its state, printed; once every arm has finished, the comparison is
 * written (the same file the submitter writes) and returned. Failed arms are listed with their
 * errors; nothing is changed in the queue.
 */
export async function sweepStatus(queueUrl: string, directory: string, output: SweepOutput): Promise<SweepStatus> {
  const target = parseRedisUrl(queueUrl);
  const manifest = await readSweepManifest(path.resolve(directory));
  const queue = new Queue(armQueueName, { connection: target.options });
  queue.on('error', (error: Error) => output.reporter.info(`queue ${target.display}: ${redactRedisUrl(error.message)} (retrying)`));
  try {
    await reachQueue(queue, target.display);
    const arms = await readArmStates(queue, manifest);
    for (const arm of arms) output.print?.(statusLine(arm));
    const finished = arms.filter((arm) => arm.state === 'finished').length;
    output.print?.(`${finished} of ${arms.length} arm(s) of '${manifest.name}' finished (queue ${target.display})`);
    if (finished < arms.length) {
      if (arms.every((arm) => endedStates.has(arm.state))) output.print?.('nothing is left running: submit the sweep again to retry the arms that did not finish');
      return { arms };
    }
    return { arms, comparison: await finishSweep(manifest, arms, output) };
  } finally {
    await queue.close();
  }
}
