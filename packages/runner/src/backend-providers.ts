import { wasmBackendProvider } from '@robustfair/backend-wasm';
import { cpuBackendProvider, type SelectableBackendProvider } from '@robustfair/core';
import { tfjsNodeBackendProvider, tfjsNodeGpuBackendProvider } from '@robustfair/core/node';

/**
 * The backends a run can use, tried by priority: tfjs-node-gpu, tfjs-node (optional peers), wasm
 * (`@robustfair/backend-wasm`), cpu. The runner is the composition root that hands them to core's
 * `selectBackend`; the CLI's `info` and `test-plugin` use the same list.
 */
export const builtinBackendProviders: readonly SelectableBackendProvider[] = [
  tfjsNodeGpuBackendProvider,
  tfjsNodeBackendProvider,
  wasmBackendProvider,
  cpuBackendProvider,
];
