import { wasmBackendProvider } from '@robustfair/backend-wasm';
import { cpuBackendProvider, type SelectableBackendProvider } from '@robustfair/core';
import { tfjsNodeBackendProvider, tfjsNodeGpuBackendProvider } from '@robustfair/core/node';

/** The backends the bench can be asked for (`--backends`), as the runner offers them. */
export const benchBackendProviders: readonly SelectableBackendProvider[] = [
  tfjsNodeGpuBackendProvider,
  tfjsNodeBackendProvider,
  wasmBackendProvider,
  cpuBackendProvider,
];
