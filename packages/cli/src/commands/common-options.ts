import type { BackendChoice } from '@robustfair/core';
import { loadConfig, type LoadedConfig } from '@robustfair/runner';
import { InvalidArgumentError } from 'commander';
import { createCliOutput, type CliOutput } from '../progress/cli-output.js';

/** Flags every running command shares. */
export interface CommonFlags {
  readonly out: string;
  readonly backend?: BackendChoice;
  readonly seed?: string;
  readonly set: string[];
  readonly quiet?: boolean;
  /** false with `--no-progress`: plain lines instead of bars. */
  readonly progress?: boolean;
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Loads the config with `--seed` and `--set` overrides applied (seed is just `seed=<n>`). */
export async function loadWithFlags(file: string, flags: CommonFlags): Promise<LoadedConfig> {
  const overrides = [...(flags.seed === undefined ? [] : [`seed=${flags.seed}`]), ...flags.set];
  return loadConfig(file, overrides);
}

/**
 * Runs a command body with its progress and results output (bars when stderr is a terminal,
 * else plain lines; nothing with --quiet) and removes the bars however it ends.
 */
export async function withOutput<T>(flags: CommonFlags, body: (output: CliOutput) => Promise<T>): Promise<T> {
  const output = createCliOutput(flags);
  try {
    return await body(output);
  } finally {
    output.close();
  }
}

/** `--workers <n>`: a whole number of at least 1. */
export function parseWorkers(value: string): number {
  if (!/^\s*\d+\s*$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`expected a whole number of at least 1, got '${value}'`);
  return Number(value);
}
