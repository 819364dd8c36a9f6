import path from 'node:path';
import { writeReport } from '@robustfair/runner';
import type { Command } from 'commander';
import { writeToStdout, type Write } from './output.js';

/**
 * `robustfair report RUN_DIR... [--out DIR] [--no-png]`: class-wise robustness of finished runs
 * as report.html (self-contained, plots inlined), report.md (tables) and plots/<name>.svg/.png.
 * Each input is a comparison directory (all its arms) or an arm directory; arms are merged,
 * and arms that differ only in the seed are aggregated as one method.
 */
export function registerReportCommand(program: Command, write: Write = writeToStdout): Command {
  return program
    .command('report')
    .argument('<dirs...>', 'a comparison directory (runs/<name>: all its arms) or an arm directory (runs/<name>/<arm>); several are merged')
    .option('--out <dir>', 'where report.html, report.md and plots/ go (default: <first input>/report)')
    .option('--no-png', 'write the plots as SVG only')
    .description('turn results into an HTML report, a Markdown summary and plots (SVG, PNG) of class-wise robustness')
    .action(async (directories: string[], flags: { out?: string; png: boolean }) => {
      const out = flags.out ?? path.join(directories[0] as string, 'report');
      const report = await writeReport(directories, { out, png: flags.png });
      const { arms, methods, notes } = report.model;
      write(
        [
          `report on ${arms.length} arm${arms.length === 1 ? '' : 's'} in ${methods.length} method${methods.length === 1 ? '' : 's'}:`,
          `  ${report.html}`,
          `  ${report.markdown}`,
          `  ${path.join(report.directory, 'plots')}${path.sep} (${report.plots.length} files)`,
          ...(notes.length > 0 ? [`${notes.length} note${notes.length === 1 ? '' : 's'} (listed at the end of the report):`, ...notes.map((note) => `  ${note}`)] : []),
          '',
        ].join('\n'),
      );
    });
}
