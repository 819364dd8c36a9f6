import { cleanRowId } from '@robustfair/spec';
import type { TopLevelSpec } from 'vega-lite';
import { knobSeries, trainingCurve } from './epoch-series.js';
import { evaluationName, underEvaluation, type ReportModel } from './report-model.js';

/** One plot of the report: a Vega-Lite spec with inline data, written as plots/<name>.svg/.png. */
export interface ReportPlot {
  /** File name without extension, and the figure's id in report.html. */
  readonly name: string;
  readonly title: string;
  /** What the plot shows, for the figure caption and the Markdown. */
  readonly caption: string;
  readonly spec: TopLevelSpec;
}

/** The plots the model has data for, and why the others were left out. */
export interface ReportPlots {
  readonly plots: readonly ReportPlot[];
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

// No timestamps or anything run-dependent besides the data: the same inputs give the same SVG.
const config = {
  background: 'white',
  font: 'sans-serif',
  view: { stroke: '#d0d0d0' },
  title: { anchor: 'start', fontSize: 14, subtitleColor: '#555' },
  axis: { labelFontSize: 11, titleFontSize: 11, gridColor: '#ececec' },
  legend: { labelFontSize: 11, titleFontSize: 11 },
  header: { labelFontSize: 12, titleFontSize: 12 },
} as const;

const scheme = (count: number) => (count <= 10 ? 'tableau10' : 'tableau20');

/** Class labels stay horizontal when they fit the room each class gets, else they are slanted. */
function classAxis(classNames: readonly string[], pixelsPerClass: number) {
  const longest = Math.max(...classNames.map((name) => name.length));
  return { labelAngle: longest * 6.5 > pixelsPerClass ? -40 : 0 };
}
const accuracyAxis = { format: '.0%' };
const accuracyScale = () => ({ domain: [0, 1] });

/**
 * A percent axis for values spread over a narrow range (a zoomed scale): as many decimals as the
 * spread needs, and no ticks closer than the last shown decimal, so labels never repeat
 * (`69% 70% 70% 71%` came from 0.5% ticks printed with no decimals).
 */
export function percentAxisFor(values: readonly number[]): { format: string; tickMinStep: number } {
  const spread = values.length > 0 ? Math.max(...values) - Math.min(...values) : 1;
  const decimals = spread >= 0.05 ? 0 : spread >= 0.005 ? 1 : 2;
  return { format: `.${decimals}%`, tickMinStep: [0.01, 0.001, 0.0001][decimals] as number };
}

function strongestName(model: ReportModel): string {
  return underEvaluation(model.strongest);
}

/** Plot 1: class-wise robust accuracy, one line per method (mean over seeds), one point per seed. */
function classRobustAccuracy(model: ReportModel): ReportPlot {
  const methods = model.methods.map((method) => method.name);
  const severalSeeds = model.methods.some((method) => method.arms.length > 1);
  const values = model.arms.flatMap((arm) =>
    model.classNames.map((name, classIndex) => ({
      method: arm.method,
      arm: arm.id,
      seed: arm.seed,
      class: name,
      accuracy: arm.evaluations.get(model.strongest)?.classAccuracy[classIndex] ?? null,
    })),
  );
  const color = { field: 'method', type: 'nominal' as const, title: 'method', sort: methods, scale: { domain: methods, scheme: scheme(methods.length) } };
  const width = Math.max(320, 48 * model.numClasses);
  const x = { field: 'class', type: 'ordinal' as const, title: 'class', sort: [...model.classNames], axis: classAxis(model.classNames, width / model.numClasses) };
  return {
    name: 'class-robust-accuracy',
    title: 'Class-wise robust accuracy',
    caption: `Accuracy of each class under ${strongestName(model)}, ${model.split} split; one line per method${severalSeeds ? ' (the mean over its seeds; the small pale points are the seeds)' : ''}.`,
    spec: {
      config,
      title: { text: `Class-wise accuracy under ${evaluationName(model.strongest).toLowerCase()}` },
      data: { values },
      width,
      height: 260,
      layer: [
        {
          mark: { type: 'line', point: { filled: true, size: 50 } },
          encoding: { x, color, y: { aggregate: 'mean', field: 'accuracy', type: 'quantitative', title: 'robust accuracy', scale: accuracyScale(), axis: accuracyAxis } },
        },
        ...(severalSeeds
          ? [
              {
                mark: { type: 'point', filled: true, size: 22, opacity: 0.45 },
                encoding: { x, color, detail: { field: 'arm', type: 'nominal' }, y: { field: 'accuracy', type: 'quantitative' } },
              } as const,
            ]
          : []),
      ],
    },
  };
}

/** Plot 1b: clean and robust accuracy per class, one small panel per method. */
function cleanVersusRobust(model: ReportModel): ReportPlot {
  const order = [evaluationName(cleanRowId), evaluationName(model.strongest)];
  const width = Math.max(180, 36 * model.numClasses);
  const values = model.arms.flatMap((arm) =>
    [cleanRowId, model.strongest].flatMap((id) =>
      model.classNames.map((name, classIndex) => ({
        method: arm.method,
        evaluation: evaluationName(id),
        class: name,
        accuracy: arm.evaluations.get(id)?.classAccuracy[classIndex] ?? null,
      })),
    ),
  );
  return {
    name: 'clean-vs-robust',
    title: 'Clean vs robust accuracy per class',
    caption: `Per method, each class's clean accuracy next to its accuracy under ${strongestName(model)}; means over the method's seeds.`,
    spec: {
      config,
      title: { text: `Clean vs ${evaluationName(model.strongest).toLowerCase()} accuracy per class` },
      data: { values },
      columns: Math.min(3, model.methods.length),
      facet: { field: 'method', type: 'nominal', title: null, sort: model.methods.map((method) => method.name) },
      spec: {
        width,
        height: 160,
        mark: { type: 'bar' },
        encoding: {
          x: { field: 'class', type: 'ordinal', title: 'class', sort: [...model.classNames], axis: classAxis(model.classNames, width / model.numClasses) },
          xOffset: { field: 'evaluation', type: 'nominal', sort: order },
          y: { aggregate: 'mean', field: 'accuracy', type: 'quantitative', title: 'accuracy', scale: accuracyScale(), axis: accuracyAxis },
          color: { field: 'evaluation', type: 'nominal', title: null, sort: order, scale: { domain: order, range: ['#9ecae9', '#e45756'] } },
        },
      },
    },
  };
}

/** Plot 2: every per-class knob over the epochs, one row of small multiples per arm. */
function knobs(model: ReportModel): ReportPlot | undefined {
  const rows = model.arms.map((arm) => ({ arm, series: knobSeries(arm.epochs, model.numClasses) })).filter((row) => row.series.length > 0);
  if (rows.length === 0) return undefined;
  const classes = [...model.classNames];
  return {
    name: 'knobs',
    title: 'Per-class knobs over epochs',
    caption:
      'The per-class knobs each arm trained with, epoch by epoch (the value an epoch started with): ABSLD temperatures, class weights, per-class ε. Arms whose strategy sets none (identity) are left out.',
    spec: {
      config,
      title: { text: 'Per-class knobs over epochs' },
      vconcat: rows.map(({ arm, series }) => {
        const pointed = arm.epochs.length <= 20;
        return {
          title: { text: arm.id, fontSize: 12 },
          data: {
            values: series.flatMap(({ knob, epochs, values }) =>
              epochs.flatMap((epoch, index) => classes.map((name, classIndex) => ({ knob, epoch: epoch + 1, class: name, value: values[index]?.[classIndex] ?? null }))),
            ),
          },
          facet: { column: { field: 'knob', type: 'nominal', title: null, sort: series.map((entry) => entry.knob) } },
          spec: {
            width: 170,
            height: 110,
            mark: { type: 'line', point: pointed },
            encoding: {
              x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
              y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
              color: { field: 'class', type: 'nominal', title: 'class', sort: classes, scale: { domain: classes, scheme: scheme(classes.length) } },
            },
          },
          resolve: { scale: { y: 'independent' } },
        } as const;
      }),
      resolve: { scale: { color: 'shared' }, legend: { color: 'shared' } },
    },
  };
}

/** Plot 3: training robust accuracy per epoch, average and worst class, one line per arm. */
function trainingCurves(model: ReportModel): ReportPlot | undefined {
  const methods = model.methods.map((method) => method.name);
  const curves = model.arms.map((arm) => ({ arm, points: trainingCurve(arm.epochs) })).filter((entry) => entry.points.length > 0);
  if (curves.length === 0) return undefined;
  const longest = Math.max(...curves.map((entry) => entry.points.length));
  const measures = ['average', 'worst class'];
  const values = curves.flatMap(({ arm, points }) =>
    points.flatMap((point) => [
      { method: arm.method, arm: arm.id, epoch: point.epoch + 1, measure: 'average', accuracy: point.average },
      { method: arm.method, arm: arm.id, epoch: point.epoch + 1, measure: 'worst class', accuracy: point.worst },
    ]),
  );
  return {
    name: 'training-curves',
    title: 'Training curves',
    caption:
      'Robust accuracy on the training split under the training attack, per epoch (from the epoch statistics): the average over samples and the worst class. One line per arm, coloured by method.',
    spec: {
      config,
      title: { text: 'Training robust accuracy per epoch' },
      data: { values },
      facet: { column: { field: 'measure', type: 'nominal', title: null, sort: measures } },
      spec: {
        width: 300,
        height: 200,
        mark: { type: 'line', point: longest <= 20 },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1, format: 'd' } },
          y: { field: 'accuracy', type: 'quantitative', title: 'training robust accuracy', scale: accuracyScale(), axis: accuracyAxis },
          color: { field: 'method', type: 'nominal', title: 'method', sort: methods, scale: { domain: methods, scheme: scheme(methods.length) } },
          detail: { field: 'arm', type: 'nominal' },
        },
      },
    },
  };
}

/** Plot 4: average vs worst-class robust accuracy, one large point per method (mean), small ones per seed. */
function averageVersusWorst(model: ReportModel): ReportPlot {
  const methods = model.methods.map((method) => method.name);
  const severalSeeds = model.methods.some((method) => method.arms.length > 1);
  const values = model.arms.map((arm) => {
    const row = arm.evaluations.get(model.strongest);
    return { method: arm.method, arm: arm.id, seed: arm.seed, average: row?.average ?? null, worst: row?.worstClass.accuracy ?? null };
  });
  const color = { field: 'method', type: 'nominal' as const, title: 'method', sort: methods, scale: { domain: methods, scheme: scheme(methods.length) } };
  const axisOf = (field: 'average' | 'worst') => percentAxisFor(values.map((value) => value[field]).filter((value): value is number => value !== null));
  const x = { field: 'average', type: 'quantitative' as const, title: 'average robust accuracy', axis: axisOf('average'), scale: { zero: false, padding: 16 } };
  const y = { field: 'worst', type: 'quantitative' as const, title: 'worst-class robust accuracy', axis: axisOf('worst'), scale: { zero: false, padding: 16 } };
  return {
    name: 'average-vs-worst',
    title: 'Average vs worst-class robust accuracy',
    caption: `Each method's average and worst-class accuracy under ${strongestName(model)}${severalSeeds ? ': the large filled point is the mean over seeds, the small rings are the seeds' : ''}. Up and to the right is better; up means fairer.`,
    spec: {
      config,
      title: { text: 'Average vs worst-class robust accuracy' },
      data: { values },
      width: 360,
      height: 280,
      layer: [
        ...(severalSeeds
          ? [{ mark: { type: 'point', size: 40, opacity: 0.7 }, encoding: { x, y, color, detail: { field: 'arm', type: 'nominal' } } } as const]
          : []),
        {
          mark: { type: 'point', filled: true, size: 140, opacity: 0.95 },
          encoding: { x: { ...x, aggregate: 'mean' }, y: { ...y, aggregate: 'mean' }, color },
        },
      ],
    },
  };
}

/**
 * The report's plots (Vega-Lite): class-wise robust accuracy per method, clean vs robust per
 * class, per-class knobs over epochs, training curves, and average vs worst-class accuracy.
 * Plots without data (no knobs, no epoch log) are skipped with a reason.
 */
export function reportPlots(model: ReportModel): ReportPlots {
  const plots: ReportPlot[] = [classRobustAccuracy(model)];
  const skipped: { name: string; reason: string }[] = [];
  if (model.strongest !== cleanRowId) plots.push(cleanVersusRobust(model));
  else skipped.push({ name: 'clean-vs-robust', reason: 'no attack evaluation common to every arm' });
  const knobPlot = knobs(model);
  if (knobPlot) plots.push(knobPlot);
  else skipped.push({ name: 'knobs', reason: 'no arm has per-class knobs (temperatures, class weights, per-class ε)' });
  const curves = trainingCurves(model);
  if (curves) plots.push(curves);
  else skipped.push({ name: 'training-curves', reason: 'no arm has epoch statistics with robust-error (epochs.jsonl)' });
  plots.push(averageVersusWorst(model));
  return { plots, skipped };
}
