import { buildReportModel, evaluationArm, renderPlotSvg, reportPlots } from '@robustfair/report/plots';
import type { EvaluationFile } from '@robustfair/spec';

/**
 * Draws the report's own class-wise plot (`class-robust-accuracy` of `@robustfair/report`, the
 * figure `robustfair report` renders, with the report's renderer) for one evaluation as SVG.
 */
export async function renderClassPlot(container: HTMLElement, evaluation: EvaluationFile, options: { readonly label: string; readonly epsilon: number }): Promise<void> {
  const arm = evaluationArm(evaluation, { source: 'this page', label: options.label, epsilon: options.epsilon });
  const model = buildReportModel({ arms: [arm], sources: ['this page'], notes: [] });
  const plot = reportPlots(model).plots.find((entry) => entry.name === 'class-robust-accuracy');
  if (!plot) throw new Error('the report made no class-wise plot for this evaluation');
  container.innerHTML = await renderPlotSvg(plot.spec, plot.name);
}
