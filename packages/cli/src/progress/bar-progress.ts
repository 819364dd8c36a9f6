import { isMilestone, progressLine, type ProgressReporter } from '@robustfair/runner';
import { MultiBar, type SingleBar } from 'cli-progress';

export interface BarProgressOptions {
  /** The terminal the bars are drawn on (stderr). */
  readonly stream: NodeJS.WritableStream;
  /** Colour the arm labels (off with NO_COLOR). */
  readonly color: boolean;
  /** Milliseconds since some origin; injectable for tests. */
  readonly now?: () => number;
}

/** Shortest time between two redraws (10 per second, like cli-progress's own timer). */
const redrawInterval = 100;

export interface BarProgressReporter extends ProgressReporter {
  /** Writes text above the bars (results printed to the same terminal). */
  log(text: string): void;
  /** Flushes pending lines and removes the bars; call once at the end. */
  close(): void;
}

interface ArmBar {
  readonly bar: SingleBar;
  /** Batches per epoch, once a batch event said so. */
  batches: number;
}

const cyan = (text: string) => `\u001b[36m${text}\u001b[39m`;

/**
 * Progress bars (`cli-progress`): one bar per running arm, labelled, showing its epoch and batch
 * while it trains and the attack and batch while it is evaluated; the bar goes when the arm's
 * evaluation ends. Info lines and milestones (epoch summaries, evaluated attacks) are written
 * above the bars. The terminal's settings are left alone (cursor, line wrapping), so a killed
 * run leaves nothing to restore. Events redraw the bars themselves (at most every 100 ms):
 * training in this process keeps the event loop busy for a whole epoch, so cli-progress's own
 * redraw timer alone would only fire between epochs.
 */
export function createBarProgressReporter({ stream, color, now = Date.now }: BarProgressOptions): BarProgressReporter {
  const multibar = new MultiBar({
    stream,
    format: '{arm} {bar} {percentage}% | {stage}',
    barCompleteChar: '█',
    barIncompleteChar: '░',
    barsize: 24,
    autopadding: true,
    clearOnComplete: true,
    hideCursor: false,
    linewrap: true,
    gracefulExit: false,
  });
  const arms = new Map<string, ArmBar>();
  let labelWidth = 0;
  const label = (arm: string) => {
    labelWidth = Math.max(labelWidth, arm.length);
    const padded = arm.padEnd(labelWidth);
    return color ? cyan(padded) : padded;
  };
  let lastDraw = Number.NEGATIVE_INFINITY;
  const redraw = (force = false) => {
    const time = now();
    if (!multibar.isActive || (!force && time - lastDraw < redrawInterval)) return;
    lastDraw = time;
    multibar.update();
  };
  const log = (text: string) => {
    if (!multibar.isActive) {
      stream.write(`${text}\n`);
      return;
    }
    multibar.log(`${text}\n`);
    redraw(true); // lines are rare (per epoch, per attack): show them now
  };
  const stop = () => {
    if (!multibar.isActive) return;
    multibar.update(); // flushes any line logged since the last redraw
    multibar.stop();
  };
  const barOf = (arm: string): ArmBar => {
    let state = arms.get(arm);
    if (!state) {
      state = { bar: multibar.create(1, 0, { arm: label(arm), stage: 'starting' }), batches: 0 };
      arms.set(arm, state);
    }
    return state;
  };
  const remove = (arm: string) => {
    const state = arms.get(arm);
    if (!state) return;
    arms.delete(arm);
    multibar.remove(state.bar);
    if (arms.size === 0) stop(); // no redraw timer left running between arms
  };
  return {
    info: log,
    log,
    progress: (event) => {
      const state = barOf(event.arm);
      const arm = label(event.arm);
      switch (event.scope) {
        case 'batch':
          state.batches = event.total;
          state.bar.setTotal(event.epochs * event.total);
          state.bar.update(event.epoch * event.total + event.current, {
            arm,
            stage: `epoch ${event.epoch + 1}/${event.epochs} batch ${event.current}/${event.total}`,
          });
          break;
        case 'epoch':
          if (state.batches > 0) state.bar.setTotal(event.total * state.batches);
          state.bar.update(event.current * state.batches, { arm, stage: `epoch ${event.current}/${event.total} done` });
          break;
        case 'evaluation':
          if (event.step !== undefined) {
            // a long attack's inner step (AutoAttack): the row is not done, only the text moves
            state.bar.update({ arm, stage: `evaluating ${event.attack} batch ${event.batch}/${event.batches}: ${event.step}` });
            break;
          }
          if (event.during) {
            // inside training: keep the epoch's bar, say what it is waiting for
            state.bar.update({ arm, stage: `epoch ${event.during.epoch + 1} ${event.during.purpose}: ${event.attack} batch ${event.batch}/${event.batches}` });
            break;
          }
          state.bar.setTotal(event.total);
          state.bar.update(event.current, { arm, stage: `evaluating ${event.attack} batch ${event.batch}/${event.batches}` });
          if (event.current >= event.total) remove(event.arm);
          break;
      }
      if (isMilestone(event)) log(progressLine(event));
      else redraw();
    },
    close: stop,
  };
}
