/** How progress is shown: bars on a terminal, plain lines in logs, or nothing. */
export type ProgressMode = 'bars' | 'lines' | 'silent';

export interface ProgressModeInput {
  /** `--quiet`. */
  readonly quiet?: boolean | undefined;
  /** false with `--no-progress`. */
  readonly progress?: boolean | undefined;
  /** Whether the progress stream (stderr) is a terminal. */
  readonly isTTY: boolean | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Bars only where they can redraw: stderr is a terminal, not `TERM=dumb`, and neither
 * `--no-progress` nor `--quiet` was given. Elsewhere (CI logs, pipes, files) plain lines.
 */
export function chooseProgressMode({ quiet, progress, isTTY, env }: ProgressModeInput): ProgressMode {
  if (quiet) return 'silent';
  if (progress === false || isTTY !== true || env['TERM'] === 'dumb') return 'lines';
  return 'bars';
}

/** Colour unless `NO_COLOR` is set to anything non-empty (https://no-color.org). */
export function colorEnabled(env: Readonly<Record<string, string | undefined>>): boolean {
  const noColor = env['NO_COLOR'];
  return noColor === undefined || noColor === '';
}
