import { type DatasetPlugin, defineDatasetPlugin } from '@robustfair/spec';
import { createSyntheticDataset, type SyntheticDatasetOptions, syntheticDatasetOptionsSchema } from './synthetic-dataset.js';

/**
 * `'synthetic'`: seeded images with per-class difficulty (see `createSyntheticDataset`). The
 * data seed is the `seed` option, not the run seed in the context, so arms that differ only in
 * their training seed train and evaluate on the same data.
 */
export const syntheticDatasetPlugin: DatasetPlugin<SyntheticDatasetOptions> = defineDatasetPlugin({
  kind: 'dataset',
  id: 'synthetic',
  specificationVersion: 'v1',
  summary: 'Seeded synthetic images with controllable per-class difficulty (smooth prototypes plus noise).',
  optionsSchema: syntheticDatasetOptionsSchema,
  create: (options) => createSyntheticDataset(options),
});
