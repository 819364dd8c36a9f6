interface ProgressBase {
  /** The arm (or teacher) label the work belongs to. */
  readonly arm: string;
  /** Units done in this scope so far (1 after the first) and how many there are. */
  readonly current: number;
  readonly total: number;
  /** Free text for the reader, e.g. an epoch's loss and accuracy. */
  readonly detail?: string;
}

/**
 * Structured progress of long work, numbers only (HOUSE-STYLE B1.5):
 * - `batch`: a training batch ended; `current`/`total` count the batches of `epoch` (0-based) of `epochs`;
 * - `epoch`: an epoch ended; `current`/`total` count epochs, `detail` holds its loss, accuracy, rate and time;
 * - `evaluation`: an evaluation row (clean or an attack) finished batch `batch` of `batches`;
 *   `current`/`total` count (batch, row) steps of the whole evaluation. With `during`, it is an
 *   evaluation inside training (checkpoint selection, FAWA's check, FRL's validation pass) after
 *   epoch `during.epoch` (0-based; −1: FRL's pass on the initial model, before training), and
 *   `current`/`total` count its batches.
 */
export type ProgressEvent =
  | (ProgressBase & { readonly scope: 'batch'; readonly epoch: number; readonly epochs: number })
  | (ProgressBase & { readonly scope: 'epoch' })
  | (ProgressBase & {
      readonly scope: 'evaluation';
      /** `clean` or the attack's name. */
      readonly attack: string;
      readonly split: string;
      readonly batch: number;
      readonly batches: number;
      readonly during?: { readonly epoch: number; readonly purpose: 'selection' | 'averaging' | 'validation' };
      /** Set while the attack still runs on `batch`: the unit of it that just finished (AutoAttack's stages, targets, restarts). */
      readonly step?: string;
    });

const purposeText = { selection: 'checkpoint selection', averaging: 'weight-averaging check', validation: 'validation for the strategy' } as const;

/**
 * Where long work reports progress: `info` lines, and structured `progress` events that a
 * renderer turns into lines (CI logs) or progress bars (a terminal). A reporter without
 * `progress` still gets the milestone lines (see {@link reportProgress}).
 */
export interface ProgressReporter {
  info(message: string): void;
  progress?(event: ProgressEvent): void;
}

/** True for the events worth a line in a log: an epoch's end, an evaluation row's last batch. */
export function isMilestone(event: ProgressEvent): boolean {
  if (event.scope === 'epoch') return true;
  if (event.scope === 'evaluation') return event.batch === event.batches && event.step === undefined;
  return false;
}

/** One line describing an event, e.g. `[identity] epoch 2/5 loss 1.2345 …` or `[identity] evaluated pgd20 on test (3 batches)`. */
export function progressLine(event: ProgressEvent): string {
  const detail = event.detail === undefined ? '' : ` ${event.detail}`;
  switch (event.scope) {
    case 'epoch':
      return `[${event.arm}] epoch ${event.current}/${event.total}${detail}`;
    case 'batch':
      return `[${event.arm}] epoch ${event.epoch + 1}/${event.epochs} batch ${event.current}/${event.total}${detail}`;
    case 'evaluation':
      if (event.step !== undefined) return `[${event.arm}] evaluating ${event.attack} on ${event.split}: batch ${event.batch}/${event.batches}, ${event.step}${detail}`;
      if (event.during) {
        const when = event.during.epoch < 0 ? 'before training' : `epoch ${event.during.epoch + 1}`;
        const what = `[${event.arm}] ${when} ${purposeText[event.during.purpose]}`;
        return event.batch === event.batches
          ? `${what}: evaluated ${event.attack} on ${event.split} (${event.batches} batch${event.batches === 1 ? '' : 'es'})${detail}`
          : `${what}: evaluating ${event.attack} on ${event.split}: batch ${event.batch}/${event.batches}${detail}`;
      }
      return event.batch === event.batches
        ? `[${event.arm}] evaluated ${event.attack} on ${event.split} (${event.batches} batch${event.batches === 1 ? '' : 'es'})${detail}`
        : `[${event.arm}] evaluating ${event.attack} on ${event.split}: batch ${event.batch}/${event.batches}${detail}`;
  }
}

/** Sends an event to a reporter: as an event when it takes them, else as a line when it is a milestone. */
export function reportProgress(reporter: ProgressReporter, event: ProgressEvent): void {
  if (reporter.progress) reporter.progress(event);
  else if (isMilestone(event)) reporter.info(progressLine(event));
}

/**
 * Writes plain lines to a stream (stderr by default, so stdout stays for results): every `info`
 * and one line per milestone (epoch end, evaluation row done), never one per batch.
 */
export function createLineReporter(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): ProgressReporter {
  return {
    info: write,
    progress: (event) => {
      if (isMilestone(event)) write(progressLine(event));
    },
  };
}

/** Drops everything (tests, `--quiet`). */
export const silentReporter: ProgressReporter = { info: () => undefined, progress: () => undefined };
