/** Where a command writes its output: stdout by default; tests pass their own. */
export type Write = (text: string) => void;

/** The default {@link Write}: the text as is, to stdout. */
export const writeToStdout: Write = (text) => {
  process.stdout.write(text);
};
