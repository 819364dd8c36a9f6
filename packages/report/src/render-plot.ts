// The PNG rasteriser needs resvg's native binding: Node only. SVG rendering is in render-plot-svg.ts.
export { namespaceSvgIds, renderPlotSvg } from './render-plot-svg.js';

/** Rasterises an SVG to PNG with resvg, at twice the SVG's size (system fonts). */
export async function renderPlotPng(svg: string): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  return new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true } }).render().asPng();
}
