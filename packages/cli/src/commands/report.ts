import { configureReportCommand } from '@robustfair/report';
import type { Command } from 'commander';
import { writeToStdout, type Write } from './output.js';

/**
 * `robustfair report RUN_DIR... [--out DIR] [--no-png]`: class-wise robustness of finished runs
 * as report.html (self-contained, plots inlined), report.md (tables) and plots/<name>.svg/.png.
 * The command is @robustfair/report's (its `robustfair-report` bin takes the same arguments).
 */
export function registerReportCommand(program: Command, write: Write = writeToStdout): Command {
  return configureReportCommand(program.command('report'), write);
}
