import type { TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { namespaceSvgIds, renderPlotPng, renderPlotSvg } from './render-plot.js';

const spec: TopLevelSpec = {
  data: { values: [{ x: 0, y: 0.5 }, { x: 1, y: 1.5 }, { x: 2, y: 0.25 }] },
  width: 120,
  height: 80,
  // clip: true makes Vega emit a clip path, whose id comes from a process-wide counter
  mark: { type: 'line', clip: true, point: true },
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative', scale: { domain: [0, 1] } } },
};

describe(namespaceSvgIds, () => {
  it('renames every id and its references after the prefix, in order of appearance', () => {
    const svg = '<svg><defs><clipPath id="clip7"><rect/></clipPath><linearGradient id="g"/></defs><g clip-path="url(#clip7)"><use href="#g"/><path fill="url(#g)"/></g></svg>';
    expect(namespaceSvgIds(svg, 'plot')).toBe(
      '<svg><defs><clipPath id="plot-1"><rect/></clipPath><linearGradient id="plot-2"/></defs><g clip-path="url(#plot-1)"><use href="#plot-2"/><path fill="url(#plot-2)"/></g></svg>',
    );
  });
});

describe(renderPlotSvg, () => {
  it('renders the same spec to the same SVG however many plots came before, with ids named after the plot', async () => {
    const first = await renderPlotSvg(spec, 'curve');
    const second = await renderPlotSvg(spec, 'curve');
    expect(first).toBe(second);
    expect(first.startsWith('<svg')).toBe(true);
    expect(first).toContain('id="curve-1"');
    expect(first).toContain('url(#curve-1)');
    expect(first).toMatch(/<path /);
  });

  it('rasterises to a PNG twice the SVG size', async () => {
    const svg = await renderPlotSvg(spec, 'curve');
    const width = Number(/<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);
    const png = await renderPlotPng(svg);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect(width).toBeGreaterThan(120);
    expect(view.getUint32(16)).toBe(2 * width);
  });
});
