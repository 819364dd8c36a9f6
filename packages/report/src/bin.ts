#!/usr/bin/env node
// `robustfair-report <dirs...> [--out DIR] [--no-png]` (`npx @robustfair/report`): the report
// of finished runs without the runner or the CLI installed.
import { RobustfairError } from '@robustfair/spec';
import { Command } from 'commander';
import { configureReportCommand } from './report-command.js';

process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  await configureReportCommand(new Command('robustfair-report')).parseAsync(process.argv);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`robustfair-report: ${message}\n`);
  // 2: the input was wrong (a directory without results, a damaged file); 1: anything else.
  process.exitCode = RobustfairError.isInstance(error) && (error as Error).name === 'InvalidOptionsError' ? 2 : 1;
}
