import { DatasetPlugin } from '@robustfair/spec';
import { ContainerModule } from 'inversify';
import { builtinDatasets } from '../builtin-datasets.js';

/** Multi-binds every built-in dataset plugin to `DatasetPlugin`; loading it is the whole registration. */
export const datasetsModule = new ContainerModule((options) => {
  for (const plugin of builtinDatasets) options.bind<DatasetPlugin>(DatasetPlugin).toConstantValue(plugin);
});
