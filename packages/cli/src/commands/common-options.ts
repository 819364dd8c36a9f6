import type { BackendChoice } from '@robustfair/core';
import { createLineReporter, loadConfig, silentReporter, type LoadedConfig, type ProgressReporter } from '@robustfair/runner';

/** Flags every running command shares. */
export interface CommonFlags {
  readonly out: string;
  readonly backend?: BackendChoice;
  readonly seed?: string;
  readonly set: string[];
  readonly quiet?: boolean;
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Loads the config with `--seed` and `--set` overrides applied (seed is just `seed=<n>`). */
export async function loadWithFlags(file: string, flags: CommonFlags): Promise<LoadedConfig> {
  const overrides = [...(flags.seed === undefined ? [] : [`seed=${flags.seed}`]), ...flags.set];
  return loadConfig(file, overrides);
}

export function reporterFor(flags: CommonFlags): ProgressReporter {
  return flags.quiet ? silentReporter : createLineReporter();
}
