/**
 * One-line notices for things a command does that a user might not expect. They go to stderr
 * (stdout stays the command's results) and are printed even with --quiet.
 */

/** `train` on a config with a `compare` block trains the base config only: say so. */
export function trainIgnoresCompareNotice(file: string, compare: { readonly arms: readonly unknown[] }): string {
  const arms = `${compare.arms.length} arm${compare.arms.length === 1 ? '' : 's'}`;
  return `robustfair: note: ${file} has a 'compare' block (${arms}); train runs only the base config, without it (robustfair compare ${file} runs the arms)`;
}
