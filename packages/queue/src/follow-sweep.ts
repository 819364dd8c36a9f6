import { setTimeout as sleep } from 'node:timers/promises';
import { readArmResult, reportProgress, writeSweepComparison, type ComparisonResult, type ProgressReporter } from '@robustfair/runner';
import { RobustfairError } from '@robustfair/spec';
import type { Queue, QueueEvents } from 'bullmq';
import { endedStates, isProgressEvent, readArmStates, type ArmState } from './arm-states.js';
import type { SweepManifest } from './sweep-manifest.js';

/** Where following a sweep reports. */
export interface SweepOutput {
  readonly reporter: ProgressReporter;
  readonly print?: ((text: string) => void) | undefined;
}

/** A line for an arm whose state changed (or that is shown for the first time). */
export function describeArmState(arm: ArmState): string {
  if (arm.state === 'failed') return `[${arm.label}] failed after ${arm.attempts ?? '?'} attempt(s): ${arm.error ?? 'no reason recorded'}`;
  if (arm.state === 'missing') return `[${arm.label}] not in the queue and not finished (job ${arm.jobId}); submit the sweep again to queue it`;
  return `[${arm.label}] ${arm.state}`;
}

/**
 * Follows a sweep until every arm has ended: state changes as lines, the workers' progress
 * (job progress events) as the reporter's progress. States are polled from the shared disk and
 * Redis, so a lost event (a Redis restart) costs nothing; `onMissing` may queue a lost job again.
 */
export async function followSweep(
  queue: Queue,
  events: QueueEvents | undefined,
  manifest: SweepManifest,
  output: SweepOutput,
  options: { readonly pollMilliseconds?: number; readonly onMissing?: (arm: ArmState) => Promise<boolean> } = {},
): Promise<ArmState[]> {
  const jobs = new Set(manifest.arms.map((arm) => arm.jobId));
  const onProgress = ({ jobId, data }: { jobId: string; data: unknown }) => {
    if (jobs.has(jobId) && isProgressEvent(data)) reportProgress(output.reporter, data);
  };
  events?.on('progress', onProgress);
  const shown = new Map<string, string>();
  try {
    for (;;) {
      const states = await readArmStates(queue, manifest);
      let requeued = false;
      for (const arm of states) {
        if (arm.state === 'missing' && options.onMissing && (await options.onMissing(arm))) {
          requeued = true;
          continue;
        }
        const line = describeArmState(arm);
        if (shown.get(arm.label) !== line) output.reporter.info(line);
        shown.set(arm.label, line);
      }
      if (!requeued && states.every((arm) => endedStates.has(arm.state))) return states;
      await sleep(options.pollMilliseconds ?? 1000);
    }
  } finally {
    events?.off('progress', onProgress);
  }
}

/**
 * The end of a sweep: with every arm finished, its comparison (from the arms' result.json files
 * and the teachers', in config order) is written and returned; otherwise this fails naming each
 * arm that did not finish and why.
 */
export async function finishSweep(manifest: SweepManifest, states: readonly ArmState[], output: SweepOutput): Promise<ComparisonResult> {
  const unfinished = states.filter((arm) => arm.state !== 'finished');
  if (unfinished.length > 0) {
    throw new RobustfairError(
      `${unfinished.length} of ${states.length} arm(s) of '${manifest.name}' did not finish:\n  ${unfinished.map(describeArmState).join('\n  ')}\n` +
        `fix the cause and submit the sweep again: finished arms are reused, failed ones are retried`,
    );
  }
  const results = [];
  for (const arm of manifest.arms) results.push(await readArmResult(arm.armDirectory));
  const teachers = [];
  for (const teacher of manifest.teachers) teachers.push({ ...teacher, result: await readArmResult(teacher.directory) });
  return writeSweepComparison(
    { name: manifest.name, directory: manifest.directory, field: manifest.field, printTable: manifest.printTable },
    results,
    teachers,
    output,
  );
}
