import { worstCaseRowId } from '@robustfair/spec';
import type { ReportPlot } from './plot-specs.js';
import { evaluationName, type ReportModel } from './report-model.js';
import { formatEpsilon, type TextTable } from './report-tables.js';

/** A plot as the pages reference it: its spec, its SVG text and its files relative to the report. */
export interface RenderedPlot {
  readonly plot: ReportPlot;
  readonly svg: string;
  /** `plots/<name>.svg`, and `plots/<name>.png` unless PNGs are off. */
  readonly files: { readonly svg: string; readonly png?: string };
}

/** What both pages are made of. */
export interface ReportContent {
  readonly model: ReportModel;
  readonly tables: readonly TextTable[];
  readonly plots: readonly RenderedPlot[];
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

/** A number, `mean ± std`, a list of numbers (seeds), `n/a` or `–`: right-aligned in tables. */
export function isNumericCell(cell: string): boolean {
  return /^(n\/a|–|-?\d+(\.\d+)?( ± \d+(\.\d+)?)?(, -?\d+)*)$/.test(cell);
}

/**
 * Text from result files (labels, names, notes) as inert Markdown: `&`, `<` and `>` as entities
 * (Markdown passes raw HTML through, so a label `<script>…` would run in a viewer), `[` and `]`
 * escaped (no injected links or images), backticks escaped, line breaks as spaces.
 */
export function escapeMarkdownText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([[\]`])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

const escapeCell = (text: string) => escapeMarkdownText(text).replace(/\|/g, '\\|');

function markdownTable(table: TextTable): string[] {
  // Markdown has one header row: spanning group labels are folded into the column names.
  const header = table.groups
    ? table.groups.flatMap((group, index) => {
        const start = table.groups?.slice(0, index).reduce((total, entry) => total + entry.span, 0) ?? 0;
        return table.header.slice(start, start + group.span).map((name) => (group.label ? `${group.label} ${name}` : name));
      })
    : table.header;
  const numeric = header.map((_, column) => table.rows.length > 0 && table.rows.every((row) => isNumericCell(row[column] ?? '')));
  const align = numeric.map((right, column) => (column > 0 && right ? '---:' : '---'));
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), line(align), ...table.rows.map(line)];
}

/** The arms, methods and inputs in one sentence each. */
export function reportIntroduction(model: ReportModel): string[] {
  const seeds = model.methods.some((method) => method.arms.length > 1);
  return [
    `${model.arms.length} arm${model.arms.length === 1 ? '' : 's'} in ${model.methods.length} method${model.methods.length === 1 ? '' : 's'}` +
      `${seeds ? ' (arms that differ only in the seed are one method)' : ''}, ${model.numClasses} classes, evaluated on the ${model.split} split at ε = ${formatEpsilon(model.epsilon)}.`,
    model.strongest === worstCaseRowId
      ? 'Robustness in the plots is the worst case over every attack: a sample counts as correct only if it is correct clean and under every attack run on all samples (an attack run on a subset is left out).'
      : `Robustness in the plots is the accuracy under '${evaluationName(model.strongest)}'.`,
  ];
}

/**
 * report.md: the Table-1 layout, the plots as images (PNG when written, else SVG), the
 * class-wise, teacher and arm tables, skipped plots and notes. Nothing time-dependent, so the
 * same inputs give the same file.
 */
export function formatReportMarkdown(content: ReportContent): string {
  const { model } = content;
  const text = escapeMarkdownText;
  // Sources are paths: in a code span, so only a backtick could break out of it.
  const lines: string[] = [`# robustfair report: ${text(model.title)}`, '', ...reportIntroduction(model).map(text), '', 'Inputs:', ...model.sources.map((source) => `- \`${source.replace(/`/g, "'")}\``), ''];
  const section = (table: TextTable) => [`## ${text(table.title)}`, '', text(table.caption), '', ...markdownTable(table), ''];
  // The same order as report.html: the methods table, the plots, then the other tables.
  lines.push(...content.tables.slice(0, 1).flatMap(section), '## Plots', '');
  for (const { plot, files } of content.plots) {
    lines.push(`### ${text(plot.title)}`, '', text(plot.caption), '', `![${text(plot.title)}](${encodeURI(files.png ?? files.svg)})`, '');
  }
  lines.push(...content.tables.slice(1).flatMap(section));
  const notes = [...content.skipped.map((entry) => `plot '${entry.name}' skipped: ${entry.reason}`), ...model.notes];
  if (notes.length > 0) lines.push('## Notes', '', ...notes.map((note) => `- ${text(note)}`), '');
  return `${lines.join('\n').trimEnd()}\n`;
}
