/** Where long work reports progress: plain lines, so it reads the same in CI logs and terminals. */
export interface ProgressReporter {
  info(message: string): void;
}

/** Writes progress lines to a stream (stderr by default, so stdout stays for results). */
export function createLineReporter(write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): ProgressReporter {
  return { info: write };
}

/** Drops everything (tests, `--quiet`). */
export const silentReporter: ProgressReporter = { info: () => undefined };
