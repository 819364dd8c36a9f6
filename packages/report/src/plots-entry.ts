// `@robustfair/report/plots`: the report's model, tables and Vega-Lite specs without reading or
// rendering anything, so a browser bundle can draw the same plots (the playground does). No Node
// built-in is reachable from here (the playground's browser-bundle check).
export { evaluationArm, type EvaluationArmOptions } from './evaluation-arm.js';
export { reportPlots, type ReportPlot } from './plot-specs.js';
export { renderPlotSvg } from './render-plot-svg.js';
export type { RunArm, RunDirectories } from './read-run-directories.js';
export {
  buildReportModel,
  evaluationName,
  type EvaluationCell,
  type MethodRow,
  type ReportArm,
  type ReportMethod,
  type ReportModel,
} from './report-model.js';
export { reportTables, type TextTable } from './report-tables.js';
