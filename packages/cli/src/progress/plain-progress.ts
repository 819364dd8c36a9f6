import { isMilestone, progressLine, type ProgressReporter } from '@robustfair/runner';

export interface PlainProgressOptions {
  readonly write: (line: string) => void;
  /** Milliseconds since some origin; injectable for tests. */
  readonly now?: () => number;
  /** Longest quiet stretch per arm before a batch or evaluation line is written (default 30 s). */
  readonly heartbeatMs?: number;
}

/**
 * Progress as plain lines, for logs: every info line, one line per epoch and per evaluated
 * attack (the milestones), and in between at most one line per arm every `heartbeatMs`
 * (`[arm] epoch 3/10 batch 120/391`), so a long epoch still shows it is alive without a line
 * per batch.
 */
export function createPlainProgressReporter({ write, now = Date.now, heartbeatMs = 30_000 }: PlainProgressOptions): ProgressReporter {
  const lastLine = new Map<string, number>();
  return {
    info: write,
    progress: (event) => {
      const time = now();
      if (isMilestone(event)) {
        write(progressLine(event));
        lastLine.set(event.arm, time);
        return;
      }
      const last = lastLine.get(event.arm);
      if (last === undefined) {
        lastLine.set(event.arm, time); // the arm's first event starts its clock
      } else if (time - last >= heartbeatMs) {
        write(progressLine(event));
        lastLine.set(event.arm, time);
      }
    },
  };
}
