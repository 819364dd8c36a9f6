/**
 * The entries a browser bundle may load (issue 18): each must bundle for the browser without
 * reaching a Node built-in. Node-only code of these packages lives under their `./node` subpaths
 * (`@robustfair/core/node`, `@robustfair/attacks/node`, `@robustfair/datasets/node`).
 */
export const browserReadyEntries: readonly string[] = [
  '@robustfair/spec',
  '@robustfair/core',
  '@robustfair/attacks',
  '@robustfair/metrics',
  '@robustfair/models',
  '@robustfair/datasets',
  '@robustfair/report/plots',
];
