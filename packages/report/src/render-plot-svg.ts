import type { TopLevelSpec } from 'vega-lite';

// SVG only (Vega and Vega-Lite, pure JavaScript): browser bundles reach this file through
// `@robustfair/report/plots`; the PNG rasteriser (resvg, native) is in render-plot.ts.

/**
 * Gives the ids of an SVG (Vega's clip paths and gradients take them from a process-wide
 * counter) stable names derived from `prefix`, so the same plot renders to the same bytes
 * whatever was rendered before it, and several SVGs can sit in one HTML page without clashes.
 */
export function namespaceSvgIds(svg: string, prefix: string): string {
  const ids = [...svg.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1] as string);
  const renamed = new Map([...new Set(ids)].map((id, index) => [id, `${prefix}-${index + 1}`]));
  if (renamed.size === 0) return svg;
  return svg.replace(/(\sid="|url\(#|href="#)([^")]+)/g, (whole, lead: string, id: string) => {
    const name = renamed.get(id);
    return name === undefined ? whole : `${lead}${name}`;
  });
}

/**
 * Compiles a Vega-Lite spec and renders it headless to SVG (Vega's `renderer: 'none'`, no
 * browser, no network: data must be inline). Vega is loaded on first use, so commands that
 * draw nothing do not pay for it.
 */
export async function renderPlotSvg(spec: TopLevelSpec, name: string): Promise<string> {
  const [{ compile }, { View, parse }] = await Promise.all([import('vega-lite'), import('vega')]);
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return namespaceSvgIds(await view.toSVG(), name);
  } finally {
    view.finalize();
  }
}
