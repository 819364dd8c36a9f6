// @robustfair/datasets: the synthetic dataset with per-class difficulty, and in-memory datasets.
export {
  createInMemoryDataset,
  type InMemoryDatasetOptions,
  type InMemorySplit,
} from './in-memory/in-memory-dataset.js';
export {
  createSyntheticDataset,
  defaultDifficulty,
  syntheticDatasetOptionsSchema,
  type SyntheticDatasetInput,
  type SyntheticDatasetOptions,
} from './synthetic/synthetic-dataset.js';
export { syntheticDatasetPlugin } from './synthetic/synthetic-dataset-plugin.js';
export { builtinDatasets } from './builtin-datasets.js';
