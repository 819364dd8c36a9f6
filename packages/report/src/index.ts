// @robustfair/report: reports of finished runs. Reads run directories (the results format of
// @robustfair/spec), builds the tables and the Vega-Lite plots, renders them (SVG with Vega,
// PNG with resvg) and writes report.html and report.md. Needs neither the runner nor TF.js' training.
export { knobSeries, trainingCurve, type KnobSeries, type TrainingPoint } from './epoch-series.js';
export { meanAndDeviation, type MeanAndDeviation } from './mean-and-deviation.js';
export { evaluationArm, type EvaluationArmOptions } from './evaluation-arm.js';
export { reportPlots, type ReportPlot } from './plot-specs.js';
export { readArmDirectory, readRunDirectories, type RunArm, type RunDirectories } from './read-run-directories.js';
export { renderPlotPng, renderPlotSvg } from './render-plot.js';
export { configureReportCommand, formatReportSummary, type WriteText } from './report-command.js';
export { formatReportHtml } from './report-html.js';
export { formatReportMarkdown, type RenderedPlot, type ReportContent } from './report-markdown.js';
export {
  buildReportModel,
  type EvaluationCell,
  type MethodRow,
  type ReportArm,
  type ReportMethod,
  type ReportModel,
  type ReportTeacher,
} from './report-model.js';
export { reportTables, type TextTable } from './report-tables.js';
export { reportPlotNames, writeReport, type ReportOptions, type WrittenReport } from './write-report.js';
