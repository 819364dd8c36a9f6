import { defineLibraryConfig } from '../../tools/tsup.shared.js';

// arm-worker: the script runArmsInWorkers forks for each arm (src/parallel/arm-worker.ts).
// plugin-hooks: the module hooks registerPluginHooks registers for outside plugins.
export default defineLibraryConfig({"index":"src/index.ts","arm-worker":"src/parallel/arm-worker.ts","plugin-hooks":"src/config/plugin-hooks.ts"});
