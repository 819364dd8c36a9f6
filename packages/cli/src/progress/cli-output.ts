import { silentReporter, type ProgressReporter } from '@robustfair/runner';
import { createBarProgressReporter } from './bar-progress.js';
import { createPlainProgressReporter } from './plain-progress.js';
import { chooseProgressMode, colorEnabled, type ProgressMode } from './progress-mode.js';

/** Where a running command writes: progress (stderr) and results (stdout). */
export interface CliOutput {
  readonly mode: ProgressMode;
  readonly reporter: ProgressReporter;
  /** Results (tables) to stdout; above the bars when stdout is the bars' terminal too. */
  print(text: string): void;
  /** Call once when the command ends (removes the bars). */
  close(): void;
}

export interface CliStreams {
  readonly stdout: Pick<NodeJS.WriteStream, 'write'> & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The output of a running command from its `--quiet` / `--no-progress` flags and the terminal. */
export function createCliOutput(
  flags: { readonly quiet?: boolean | undefined; readonly progress?: boolean | undefined },
  streams: CliStreams = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): CliOutput {
  const mode = chooseProgressMode({ quiet: flags.quiet, progress: flags.progress, isTTY: streams.stderr.isTTY, env: streams.env });
  const toStdout = (text: string) => {
    streams.stdout.write(`${text}\n`);
  };
  switch (mode) {
    case 'silent':
      return { mode, reporter: silentReporter, print: toStdout, close: () => undefined };
    case 'lines':
      return {
        mode,
        reporter: createPlainProgressReporter({ write: (line) => streams.stderr.write(`${line}\n`) }),
        print: toStdout,
        close: () => undefined,
      };
    case 'bars': {
      const bars = createBarProgressReporter({ stream: streams.stderr, color: colorEnabled(streams.env) });
      return { mode, reporter: bars, print: streams.stdout.isTTY ? bars.log : toStdout, close: bars.close };
    }
  }
}
