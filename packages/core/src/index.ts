export { deriveSeed } from './random/derive-seed.js';
export { createSeededRandom, type SeededRandom } from './random/seeded-random.js';
export { describeIssues, parseOptions } from './options/parse-options.js';
export {
  createPluginRegistry,
  instantiatePlugin,
  type Instantiated,
  type PluginChoice,
} from './registry/plugin-registry.js';
export { crossEntropyPerSample, errorIndicator, klDivergencePerSample } from './tensor/losses.js';
export { disposeAll } from './tensor/memory.js';
export {
  builtinBackendProviders,
  backendIds,
  cpuBackendProvider,
  tfjsNodeBackendProvider,
  tfjsNodeGpuBackendProvider,
} from './backend/backend-providers.js';
export { selectBackend, type BackendChoice, type BackendSelection } from './backend/select-backend.js';
