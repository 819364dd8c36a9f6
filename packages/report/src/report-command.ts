import path from 'node:path';
import type { Command } from 'commander';
import { writeReport, type WrittenReport } from './write-report.js';

/** Where the command writes its summary: stdout by default; tests and the CLI pass their own. */
export type WriteText = (text: string) => void;

const writeToStdout: WriteText = (text) => {
  process.stdout.write(text);
};

/** The lines the command prints after writing a report: the files, then every note. */
export function formatReportSummary(report: WrittenReport): string {
  const { arms, methods, notes } = report.model;
  return [
    `report on ${arms.length} arm${arms.length === 1 ? '' : 's'} in ${methods.length} method${methods.length === 1 ? '' : 's'}:`,
    `  ${report.html}`,
    `  ${report.markdown}`,
    `  ${path.join(report.directory, 'plots')}${path.sep} (${report.plots.length} files)`,
    ...(notes.length > 0 ? [`${notes.length} note${notes.length === 1 ? '' : 's'} (listed at the end of the report):`, ...notes.map((note) => `  ${note}`)] : []),
    '',
  ].join('\n');
}

/**
 * Makes `command` the report command: `<dirs...> [--out DIR] [--no-png]`. The same definition
 * serves `robustfair-report` (this package's bin) and `robustfair report` (the CLI), so both
 * take the same options and print the same lines.
 */
export function configureReportCommand(command: Command, write: WriteText = writeToStdout): Command {
  return command
    .argument('<dirs...>', 'a comparison directory (runs/<name>: all its arms) or an arm directory (runs/<name>/<arm>); several are merged')
    .option('--out <dir>', 'where report.html, report.md and plots/ go (default: <first input>/report)')
    .option('--no-png', 'write the plots as SVG only')
    .description('turn results into an HTML report, a Markdown summary and plots (SVG, PNG) of class-wise robustness')
    .action(async (directories: string[], flags: { out?: string; png: boolean }) => {
      const out = flags.out ?? path.join(directories[0] as string, 'report');
      write(formatReportSummary(await writeReport(directories, { out, png: flags.png })));
    });
}
