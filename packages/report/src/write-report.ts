import { rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@robustfair/core/node';
import { reportPlots } from './plot-specs.js';
import { formatReportHtml } from './report-html.js';
import { formatReportMarkdown, type RenderedPlot } from './report-markdown.js';
import { buildReportModel, type ReportModel } from './report-model.js';
import { reportTables } from './report-tables.js';
import { readRunDirectories } from './read-run-directories.js';
import { renderPlotPng, renderPlotSvg } from './render-plot.js';

/** Every plot name the report can write; stale files of these names are removed on a rerun. */
export const reportPlotNames = ['class-robust-accuracy', 'clean-vs-robust', 'knobs', 'training-curves', 'average-vs-worst'] as const;

/** Options of {@link writeReport}. */
export interface ReportOptions {
  /** Directory for report.html, report.md and plots/. */
  readonly out: string;
  /** Also write plots/<name>.png next to the SVGs (default true). */
  readonly png?: boolean;
  /** The time printed in the HTML footer (default: now). Nothing else depends on it. */
  readonly generatedAt?: Date;
}

/** What `writeReport` wrote. */
export interface WrittenReport {
  readonly directory: string;
  readonly html: string;
  readonly markdown: string;
  /** Every plot file written (SVG and PNG), absolute. */
  readonly plots: readonly string[];
  readonly model: ReportModel;
}

/**
 * `robustfair report`: reads comparison and arm directories (arms merged; seeds of one method
 * aggregated), renders the plots headless (Vega-Lite → SVG, resvg → PNG) and writes
 * `report.html` (self-contained, plots inlined), `report.md` and `plots/<name>.svg|png`, each
 * file atomically (temporary file, then rename).
 *
 * @example
 * await writeReport(['runs/fairness-ablation'], { out: 'runs/fairness-ablation/report' });
 */
export async function writeReport(inputs: readonly string[], options: ReportOptions): Promise<WrittenReport> {
  const model = buildReportModel(await readRunDirectories(inputs));
  const directory = path.resolve(options.out);
  const writePng = options.png !== false;
  const { plots, skipped } = reportPlots(model);
  const rendered: RenderedPlot[] = [];
  const written: string[] = [];
  for (const plot of plots) {
    const svg = await renderPlotSvg(plot.spec, plot.name);
    const files = { svg: `plots/${plot.name}.svg`, ...(writePng ? { png: `plots/${plot.name}.png` } : {}) };
    await writeFileAtomic(path.join(directory, files.svg), svg);
    written.push(path.join(directory, files.svg));
    if (files.png) {
      await writeFileAtomic(path.join(directory, files.png), await renderPlotPng(svg));
      written.push(path.join(directory, files.png));
    }
    rendered.push({ plot, svg, files });
  }
  // A rerun must not leave an earlier run's plot behind (a knobs.png from arms no longer reported).
  for (const name of reportPlotNames) {
    for (const extension of ['svg', 'png']) {
      const file = path.join(directory, 'plots', `${name}.${extension}`);
      if (!written.includes(file)) await rm(file, { force: true });
    }
  }
  const content = { model, tables: reportTables(model), plots: rendered, skipped };
  const html = path.join(directory, 'report.html');
  const markdown = path.join(directory, 'report.md');
  await writeFileAtomic(markdown, formatReportMarkdown(content));
  await writeFileAtomic(html, formatReportHtml(content, options.generatedAt ?? new Date()));
  return { directory, html, markdown, plots: written, model };
}
